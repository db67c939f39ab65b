import { withAttestationsUrl } from './attestations';
import { tarballPath } from './package-name';
import type { Packument, VersionManifest } from './packument';

/**
 * Version `version` of package `name` as served from `baseUrl`: `dist.tarball` at
 * `<baseUrl>/<name>/-/<scopeless>-<version>.tgz` (protocols §3.6) and `dist.attestations.url` at this registry
 * (protocols §15); nothing points upstream. The input is not modified.
 */
export function versionWithRegistryUrls(name: string, version: string, manifest: VersionManifest, baseUrl: string): VersionManifest {
  return withAttestationsUrl({ ...manifest, dist: { ...manifest.dist, tarball: baseUrl + tarballPath(name, version) } }, baseUrl);
}

/** Every version of the document as served from `baseUrl` (versionWithRegistryUrls). */
export function withRegistryUrls(doc: Packument, baseUrl: string): Packument {
  const versions: Record<string, VersionManifest> = {};
  for (const [v, manifest] of Object.entries(doc.versions)) versions[v] = versionWithRegistryUrls(doc.name, v, manifest, baseUrl);
  return { ...doc, versions };
}
