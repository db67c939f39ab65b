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

export interface SearchView {
  registry: 'npm';
  query: string;
  hits: readonly SearchHit[];
  total: number;
  /** Offset of the first hit, for the previous and next links. */
  from: number;
  pageSize: number;
  /** Said above the results (e.g. the upstream's part is missing). */
  notice?: string;
}
