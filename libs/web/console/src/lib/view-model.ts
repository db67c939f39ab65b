/**
 * What the console's pages show, as plain data: each registry maps its own documents into these, so the pages
 * never see a packument or a PyPI index and both registries render alike.
 */

/** Why the firewall does not serve a release now (README "Firewall"). */
export interface HoldView {
  policy: string;
  /** The sentence a client's 403 carries. */
  message: string;
  /** ISO time the hold lifts by itself; undefined when the clock does not lift it. */
  availableAt?: string;
  advisory?: string;
}

export interface VersionRow {
  version: string;
  /** ISO publish time, when the registry knows it. */
  publishedAt?: string;
  /** The dist-tags on this version. */
  tags: readonly string[];
  deprecated?: string;
}

export interface HeldVersion {
  version: string;
  publishedAt?: string;
  hold: HoldView;
}

export interface DependencyGroup {
  /** e.g. `dependencies`, `peerDependencies`. */
  kind: string;
  entries: ReadonlyArray<readonly [name: string, range: string]>;
}

export interface FileFacts {
  url?: string;
  integrity?: string;
  shasum?: string;
  /** Bytes of the unpacked tree (npm's `dist.unpackedSize`). */
  unpackedSize?: number;
  fileCount?: number;
}

export interface InstallCommand {
  client: string;
  command: string;
}

/** The two registries the console shows; each proxy serves its own registry's pages. */
export type RegistryName = 'npm' | 'pypi';

/** Who is looking, and where the other registry's console is: the header and nav of every page. */
export interface ConsoleChrome {
  /** The registry this console is served by. */
  registry: RegistryName;
  user?: { name: string; admin: boolean };
  /** The other registry's console (WEB_CONSOLE_PEER_URL), when configured. */
  peer?: { registry: RegistryName; url: string };
  /** This browser's form token (every POST form carries it). */
  csrfToken: string;
}

export interface PackageView {
  /** Registry the package lives in; names the page and builds links. */
  registry: 'npm';
  name: string;
  description?: string;
  /** README source as Markdown; rendered and sanitized by the page. */
  readme?: string;
  latest?: string;
  license?: string;
  homepage?: string;
  repository?: string;
  /** `private` (published here) or `upstream` (cached from the upstream registry). */
  origin: 'private' | 'upstream';
  distTags: ReadonlyArray<readonly [tag: string, version: string]>;
  /** Served versions, newest first: the first `versionLimit` only unless all were asked for. */
  versions: readonly VersionRow[];
  versionCount: number;
  /** Set when `versions` is cut: the link to the full list. */
  allVersionsHref?: string;
  held: readonly HeldVersion[];
  dependencies: readonly DependencyGroup[];
  latestFile?: FileFacts;
  install: readonly InstallCommand[];
  /** A line for the client's configuration that points it here (e.g. `.npmrc`). */
  clientConfig?: { file: string; line: string };
}

export interface SearchHit {
  name: string;
  version?: string;
  description?: string;
}

/** One registry's part of a search: its hits (the page's size at most) and how many there are. */
export interface RegistryResults {
  registry: RegistryName;
  hits: readonly SearchHit[];
  total: number;
  /** Said above this registry's results (its upstream's part is missing, the peer did not answer). */
  notice?: string;
  /** Where this registry's package pages are: '' for this console, the peer's URL for the other. */
  pagesAt: string;
}

/** What the search box asks for: both registries, or one. */
export type RegistryFilter = 'all' | RegistryName;

export interface SearchView {
  query: string;
  filter: RegistryFilter;
  /** One entry per registry searched, in the nav's order. */
  results: readonly RegistryResults[];
  /** Offset of the first hit (one registry only), for the previous and next links. */
  from: number;
  pageSize: number;
}

/** One file of a PyPI release. */
export interface PypiFileRow {
  filename: string;
  url: string;
  size?: number;
  sha256?: string;
  uploadedAt?: string;
  requiresPython?: string;
  /** False, or the reason (possibly empty) the file was yanked (PEP 592). */
  yanked: false | string;
}

export interface PypiVersionRow {
  version: string;
  /** The earliest upload time of its files. */
  uploadedAt?: string;
  /** Every file of the version yanked: the reason of the first. */
  yanked: false | string;
  fileCount: number;
}

/** The newest release's core metadata (its METADATA file), as the page shows it. */
export interface CoreMetadataView {
  version: string;
  summary?: string;
  /** The long description and how it is written (Description-Content-Type): Markdown is rendered, anything else shown as text. */
  description?: { text: string; markdown: boolean };
  requiresDist: readonly string[];
  requiresPython?: string;
  license?: string;
  projectUrls: ReadonlyArray<readonly [label: string, url: string]>;
}

export interface PypiProjectView {
  name: string;
  origin: 'private' | 'upstream';
  /** Served versions, newest first: the first `VERSIONS_SHOWN` unless all were asked for. */
  versions: readonly PypiVersionRow[];
  versionCount: number;
  allVersionsHref?: string;
  /** Files of the newest version. */
  latest?: { version: string; files: readonly PypiFileRow[] };
  /** Absent when the newest release has no core metadata file (an sdist-only release). */
  metadata?: CoreMetadataView;
  /** Why the metadata is missing, when it is. */
  metadataNote?: string;
  /** Files the firewall holds, by release. */
  held: readonly HeldVersion[];
  install: readonly InstallCommand[];
  /** A project status other than active (PEP 792), with its reason. */
  status?: { status: string; reason?: string };
}
