import { isValidPackageName, upstreamPathSegment } from './package-name';
import type { VersionManifest } from './packument';

/**
 * npm provenance and publish attestations (protocols §15): a version's
 * `dist.attestations = {url, provenance: {predicateType}}` points at `/-/npm/v1/attestations/<name>@<version>`,
 * a JSON document `{"attestations": [{predicateType, bundle}]}` served as is (its Sigstore bundles are signed;
 * a proxy passes the bytes through).
 */
const PREFIX = '/-/npm/v1/attestations/';

/** `/-/npm/v1/attestations/<name>@<version>`, a scoped name written `@scope%2Fname` (the packument path encoding). */
export function attestationsPath(name: string, version: string): string {
  return `${PREFIX}${upstreamPathSegment(name)}@${encodeURIComponent(version)}`;
}

/**
 * The package and version of an attestations path (after the registry's own prefix, if any); accepts the
 * scope separator raw or as `%2f`. Undefined for anything else.
 */
export function parseAttestationsPath(path: string): { name: string; version: string } | undefined {
  const at = path.indexOf(PREFIX);
  if (at < 0) return undefined;
  let spec: string;
  try {
    spec = decodeURIComponent(path.slice(at + PREFIX.length));
  } catch {
    return undefined;
  }
  const split = spec.lastIndexOf('@');
  if (split <= 0) return undefined;
  const name = spec.slice(0, split);
  const version = spec.slice(split + 1);
  if (!isValidPackageName(name) || version === '' || /[/\\\s]/.test(version)) return undefined;
  return { name, version };
}

/**
 * A copy of the manifest whose `dist.attestations.url` points at this registry (`baseUrl`, no trailing
 * slash); `provenance` and any other field are kept. A manifest without attestations is returned as is.
 * Note that npm itself fetches `<configured registry> + <pathname of this URL>`, so a registry served
 * under a path prefix must answer the prefixed path too.
 */
export function withAttestationsUrl(manifest: VersionManifest, baseUrl: string): VersionManifest {
  const attestations = manifest.dist['attestations'];
  if (typeof attestations !== 'object' || attestations === null || Array.isArray(attestations)) return manifest;
  const url = `${baseUrl.replace(/\/+$/, '')}${attestationsPath(manifest.name, manifest.version)}`;
  return { ...manifest, dist: { ...manifest.dist, attestations: { ...(attestations as Record<string, unknown>), url } } };
}
