import { createHash } from 'node:crypto';

/**
 * Object-store layout (under the deployment's prefix). Names are hashed into keys so every valid npm
 * name (scoped, mixed case) maps to a safe key, and the readable name stays in the path for operators.
 */
const safe = (name: string): string => `${name.replace(/[^a-zA-Z0-9._-]/g, '_')}-${createHash('sha1').update(name).digest('hex').slice(0, 12)}`;

export const storageKeys = {
  /**
   * Private package record (packument + unpublished tombstones), updated with compare-and-swap. The `local`
   * in these keys is the stored layout's older name for "private"; renaming it would orphan stored packages.
   */
  privatePackage: (name: string) => `npm/local/${safe(name)}.json`,
  privatePrefix: 'npm/local/',
  /** Private tarball, content-addressed so a losing concurrent publish never overwrites the winner. */
  privateTarball: (name: string, version: string, sha512Hex: string) => `npm/local-tarballs/${safe(name)}/${version}/${sha512Hex.slice(0, 32)}.tgz`,
  /**
   * Search summaries of every private package (protocols §5.1), in shards by the name's hash, kept up to date by
   * each record write; the manifest holds each shard's generation.
   */
  searchIndexManifest: 'npm/search-index/manifest.json',
  searchIndexShard: (shard: string) => `npm/search-index/shard-${shard}.json`,
  /** The single-document index of earlier versions: removed once the shards are built from a scan. */
  searchIndexBeforeShards: 'npm/search-index.json',
  /** Upstream packument as last fetched, with its validators (stale-if-error across restarts). */
  upstreamPackument: (name: string) => `npm/upstream/${safe(name)}.json`,
  /** The upstream's registry keys document as last fetched (protocols §14). */
  upstreamKeys: () => 'npm/upstream-keys.json',
  /** An upstream version's attestations document, kept byte for byte (protocols §15); `spec` is `name@version`. */
  upstreamAttestations: (spec: string) => `npm/upstream-attestations/${safe(spec)}.json`,
  /** Verified upstream tarball. */
  upstreamTarball: (name: string, filename: string) => `npm/cache/${safe(name)}/${filename}`,
};
