import { expectedDigestOf, scopeOf, tarballFilename, type ExpectedDigest, type Packument } from '@registry/npm-protocol';
import type { LocalPackageRecord } from './local-packages';
import type { UpstreamEntry } from './upstream-packuments';

/** Where the bytes of one tarball come from. */
export type TarballOrigin =
  | { kind: 'local'; version: string; key: string }
  | { kind: 'upstream'; version: string; url: string; digest: ExpectedDigest | undefined };

/** One package as served: the merged document and the tarball map, built once per change (not per request). */
export interface PackageState {
  name: string;
  doc: Packument;
  /** conventional filename → origin (§3.6 "keep a map (pkg, filename) → upstream URL"). */
  tarballs: Map<string, TarballOrigin>;
  /** Identity of the sources this state was built from. */
  stamp: string;
  isLocal: boolean;
}

/** Dependency-confusion policy (§8 item 18): which names may see upstream versions. */
export interface UpstreamPolicy {
  /** Scopes (`@acme`) that are private: never looked up upstream. */
  privateScopes: ReadonlySet<string>;
  /** Names published here that may still merge upstream versions (default: none). */
  mergeAllowList: ReadonlySet<string>;
}

export const mayAskUpstream = (name: string, isLocal: boolean, policy: UpstreamPolicy): boolean => {
  const scope = scopeOf(name);
  if (scope && policy.privateScopes.has(scope)) return false;
  return !isLocal || policy.mergeAllowList.has(name);
};

export function buildPackageState(
  name: string,
  local: LocalPackageRecord | undefined,
  upstream: UpstreamEntry | undefined,
  stamp: string,
): PackageState {
  const tarballs = new Map<string, TarballOrigin>();
  for (const [version, manifest] of Object.entries(upstream?.doc.versions ?? {})) {
    const url = typeof manifest?.dist?.tarball === 'string' ? manifest.dist.tarball : undefined;
    if (url) tarballs.set(tarballFilename(name, version), { kind: 'upstream', version, url, digest: expectedDigestOf(manifest.dist) });
  }
  for (const [version, key] of Object.entries(local?.tarballKeys ?? {})) {
    if (local?.packument.versions[version]) tarballs.set(tarballFilename(name, version), { kind: 'local', version, key });
  }
  return { name, doc: mergeDocuments(local?.packument, upstream?.doc), tarballs, stamp, isLocal: local !== undefined };
}

/** Local versions, tags and times win; upstream fills in only for allow-listed names. */
function mergeDocuments(local: Packument | undefined, upstream: Packument | undefined): Packument {
  if (!upstream) return local as Packument;
  if (!local) return upstream;
  return {
    ...upstream,
    ...local,
    'dist-tags': { ...upstream['dist-tags'], ...local['dist-tags'] },
    versions: { ...upstream.versions, ...local.versions },
    time: { ...(upstream.time ?? {}), ...(local.time ?? {}) },
  };
}
