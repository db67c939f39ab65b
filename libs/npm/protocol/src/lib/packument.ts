import { ownValue, safeRecord } from '@registry/shared-util';
import { packumentModified } from './packument-time';

/** npm package document types (protocols §3.3, §3.4). Unknown fields pass through untouched. */
export interface Dist {
  tarball: string;
  shasum?: string;
  integrity?: string;
  fileCount?: number;
  unpackedSize?: number;
  [key: string]: unknown;
}

export interface VersionManifest {
  name: string;
  version: string;
  dist: Dist;
  deprecated?: string;
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

export interface Person {
  name: string;
  email?: string;
}

export interface Packument {
  _id?: string;
  _rev?: string;
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, VersionManifest>;
  time?: Record<string, string>;
  maintainers?: Person[];
  [key: string]: unknown;
}

/** The abbreviated ("corgi") document: these four keys only; `modified` is absent when the source has no time. */
export interface AbbreviatedPackument {
  name: string;
  modified?: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, Record<string, unknown>>;
}

/** Fields the corgi document keeps per version (protocols §3.4, plus `libc` that pnpm reads). */
const ABBREVIATED_VERSION_FIELDS = [
  'name', 'version', 'deprecated', 'dependencies', 'optionalDependencies', 'devDependencies', 'bundleDependencies',
  'bundledDependencies', 'peerDependencies', 'peerDependenciesMeta', 'acceptDependencies', 'bin', 'directories',
  'dist', 'engines', '_hasShrinkwrap', 'hasInstallScript', 'funding', 'cpu', 'os', 'libc',
] as const;

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

export function abbreviateVersion(manifest: VersionManifest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of ABBREVIATED_VERSION_FIELDS) {
    if (manifest[field] !== undefined) out[field] = manifest[field];
  }
  if (out['hasInstallScript'] === undefined && INSTALL_SCRIPTS.some((s) => manifest.scripts?.[s] !== undefined)) {
    out['hasInstallScript'] = true;
  }
  return out;
}

/**
 * The abbreviated document as the public registry serves it (protocols §13):
 * `name`, `modified`, `dist-tags` and the abbreviated versions; no `time` map (clients that need publish times
 * ask for the full document, as npm does for `--before` and `audit signatures`).
 */
export function abbreviatePackument(doc: Packument): AbbreviatedPackument {
  const versions: Record<string, Record<string, unknown>> = {};
  for (const [v, manifest] of Object.entries(doc.versions)) versions[v] = abbreviateVersion(manifest);
  const modified = packumentModified(doc);
  return { name: doc.name, ...(modified === undefined ? {} : { modified }), 'dist-tags': doc['dist-tags'], versions };
}

/** Top-level fields npm hoists from the `latest` version (protocols §3.3). */
const HOISTED_FIELDS = ['description', 'author', 'homepage', 'repository', 'bugs', 'keywords', 'license', 'contributors'];

export function hoistLatestFields(doc: Packument): void {
  const latest = doc.versions[doc['dist-tags']['latest'] ?? ''];
  if (!latest) return;
  for (const field of HOISTED_FIELDS) {
    if (latest[field] !== undefined) doc[field] = latest[field];
    else delete doc[field];
  }
}

/** CouchDB-style revision `<n>-<hex>`: npm embeds it in unpublish/owner URLs (protocols §8.26). */
export function nextRevision(current: string | undefined, salt: string): string {
  const n = Number.parseInt(current?.split('-')[0] ?? '0', 10);
  return `${(Number.isFinite(n) ? n : 0) + 1}-${salt.slice(0, 16)}`;
}

/**
 * The document with its maps keyed by names from requests (`dist-tags`, `versions`, `time`) as null-prototype
 * maps (protocols §16): a lookup of `constructor` or `__proto__` finds nothing instead of an Object member.
 */
export function withSafeMaps(doc: Packument): Packument {
  const asMap = <V>(value: unknown): Record<string, V> => safeRecord(typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, V>) : {});
  return {
    ...doc,
    'dist-tags': asMap<string>(doc['dist-tags']),
    versions: asMap<VersionManifest>(doc.versions),
    ...(doc.time === undefined ? {} : { time: asMap<string>(doc.time) }),
  };
}

/** The version a dist-tag or version string names, with its manifest (protocols §3.7); undefined when there is none. */
export function manifestFor(doc: Packument, versionOrTag: string): { version: string; manifest: VersionManifest } | undefined {
  const tagged = ownValue(doc['dist-tags'], versionOrTag);
  const version = typeof tagged === 'string' ? tagged : versionOrTag;
  const manifest = ownValue(doc.versions, version);
  return typeof manifest === 'object' && manifest !== null ? { version, manifest } : undefined;
}
