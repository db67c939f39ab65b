import semver from 'semver';
import { versionWithRegistryUrls, type Packument, type VersionManifest } from '@registry/npm-protocol';
import type { ResolvedPackage, ServedPackument } from '@registry/npm-service';
import { packageHref, type DependencyGroup, type FileFacts, type HeldVersion, type PackageView, type VersionRow } from '@registry/web-console';

/** Versions listed on a package page unless all are asked for: a 3,000-version package stays one fast page. */
export const VERSIONS_SHOWN = 50;

const DEPENDENCY_KINDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * A package's page from what its clients are served: versions, dist-tags and dependencies from the served
 * (firewall-filtered) document, the held versions with their reasons from the firewall's review.
 */
export function packageViewOf(resolved: ResolvedPackage, served: ServedPackument, opts: { baseUrl: string; allVersions: boolean }): PackageView {
  const doc = served.doc;
  const name = resolved.state.name;
  const tags = doc['dist-tags'];
  const latest = typeof tags['latest'] === 'string' && doc.versions[tags['latest']] ? tags['latest'] : undefined;
  const manifest = latest === undefined ? undefined : doc.versions[latest];
  const rows = versionRows(doc);
  const shown = opts.allVersions ? rows : rows.slice(0, VERSIONS_SHOWN);
  const description = text(doc['description']) ?? text(manifest?.['description']);
  const readme = text(doc['readme']) ?? text(manifest?.['readme']);
  const license = text(manifest?.['license']) ?? text(doc['license']);
  const homepage = text(manifest?.['homepage']) ?? text(doc['homepage']);
  const repository = repositoryOf(manifest?.['repository'] ?? doc['repository']);
  return {
    registry: 'npm', name, origin: resolved.origin,
    ...(description ? { description } : {}), ...(readme ? { readme } : {}), ...(latest ? { latest } : {}),
    ...(license ? { license } : {}), ...(homepage ? { homepage } : {}), ...(repository ? { repository } : {}),
    distTags: Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === 'string'),
    versions: shown, versionCount: rows.length,
    ...(shown.length < rows.length ? { allVersionsHref: packageHref(name, 'versions=all') } : {}),
    held: heldVersions(resolved.state.doc, served),
    dependencies: manifest ? dependencyGroups(manifest) : [],
    ...(latest && manifest ? { latestFile: fileFacts(name, latest, manifest, opts.baseUrl) } : {}),
    install: [
      { client: 'npm', command: `npm install ${name}` },
      { client: 'pnpm', command: `pnpm add ${name}` },
      { client: 'yarn', command: `yarn add ${name}` },
    ],
    clientConfig: { file: '.npmrc', line: `${name.startsWith('@') ? `${name.slice(0, name.indexOf('/'))}:` : ''}registry=${opts.baseUrl}/` },
  };
}

const rowsByDocument = new WeakMap<Packument, VersionRow[]>();

/**
 * Served versions, newest publish first (semver order for undated ones), with their tags: sorted once per served
 * document (the reader and the firewall keep one object per state), not per page view.
 */
function versionRows(doc: Packument): VersionRow[] {
  let rows = rowsByDocument.get(doc);
  if (!rows) {
    rows = sortedRows(doc);
    rowsByDocument.set(doc, rows);
  }
  return rows;
}

function sortedRows(doc: Packument): VersionRow[] {
  const tagsOf = new Map<string, string[]>();
  for (const [tag, v] of Object.entries(doc['dist-tags'])) tagsOf.set(v, [...(tagsOf.get(v) ?? []), tag]);
  const time = doc.time ?? {};
  const rows = Object.keys(doc.versions).map((version) => {
    const publishedAt = text(time[version]);
    const deprecated = text(doc.versions[version]?.['deprecated']);
    const row: VersionRow = { version, tags: tagsOf.get(version) ?? [], ...(publishedAt ? { publishedAt } : {}), ...(deprecated ? { deprecated } : {}) };
    return { row, at: publishedAt ? Date.parse(publishedAt) || 0 : 0 };
  });
  rows.sort((a, b) => b.at - a.at || semverOrder(b.row.version, a.row.version));
  return rows.map((r) => r.row);
}

const semverOrder = (a: string, b: string): number => (semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : a.localeCompare(b));

function heldVersions(unfiltered: Packument, served: ServedPackument): HeldVersion[] {
  return [...served.held].map(([version, hold]) => {
    const publishedAt = text(unfiltered.time?.[version]);
    return {
      version, ...(publishedAt ? { publishedAt } : {}),
      hold: {
        policy: hold.policy, message: hold.message,
        ...(hold.availableAt !== undefined ? { availableAt: new Date(hold.availableAt).toISOString() } : {}),
        ...(hold.advisory ? { advisory: hold.advisory } : {}),
      },
    };
  });
}

function dependencyGroups(manifest: VersionManifest): DependencyGroup[] {
  return DEPENDENCY_KINDS.map((kind) => {
    const deps = manifest[kind];
    const entries = typeof deps === 'object' && deps !== null
      ? Object.entries(deps as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string')
      : [];
    return { kind, entries };
  });
}

function fileFacts(name: string, version: string, manifest: VersionManifest, baseUrl: string): FileFacts {
  const dist = versionWithRegistryUrls(name, version, manifest, baseUrl).dist as Record<string, unknown> | undefined;
  if (!dist) return {};
  const url = text(dist['tarball']);
  const integrity = text(dist['integrity']);
  const shasum = text(dist['shasum']);
  const unpackedSize = typeof dist['unpackedSize'] === 'number' ? dist['unpackedSize'] : undefined;
  const fileCount = typeof dist['fileCount'] === 'number' ? dist['fileCount'] : undefined;
  return {
    ...(url ? { url } : {}), ...(integrity ? { integrity } : {}), ...(shasum ? { shasum } : {}),
    ...(unpackedSize !== undefined ? { unpackedSize } : {}), ...(fileCount !== undefined ? { fileCount } : {}),
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** `repository` is a URL string or `{ type, url }`; `git+https://…` shows as its https URL. */
function repositoryOf(value: unknown): string | undefined {
  const url = typeof value === 'object' && value !== null ? text((value as Record<string, unknown>)['url']) : text(value);
  return url?.replace(/^git\+/, '');
}
