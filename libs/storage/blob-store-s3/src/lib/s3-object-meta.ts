import { createHash } from 'node:crypto';
import type { BlobMeta, DigestAlgorithm } from '@registry/storage-blob-store';

const ALGORITHMS: DigestAlgorithm[] = ['sha256', 'sha512', 'sha1'];

/** Digests travel as user metadata (x-amz-meta-sha256 etc.), so a HEAD returns them without reading the body. */
export function digestsToMetadata(digests: BlobMeta['digests']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const algorithm of ALGORITHMS) {
    const hex = digests[algorithm];
    if (hex !== undefined) out[algorithm] = hex;
  }
  return out;
}

export function metadataToDigests(metadata: Record<string, string> | undefined): BlobMeta['digests'] {
  const out: BlobMeta['digests'] = {};
  for (const algorithm of ALGORITHMS) {
    const hex = metadata?.[algorithm];
    if (hex !== undefined && /^[0-9a-f]+$/.test(hex)) out[algorithm] = hex;
  }
  return out;
}

/** S3 returns ETags quoted (entity-tag syntax, protocols §6.2); the port's etags are opaque and unquoted. */
export const stripQuotes = (etag: string): string => etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

/** For If-Match: S3 compares entity-tags, so send the quoted form. */
export const quote = (etag: string): string => `"${etag}"`;

/** Parses `bytes start-end/total` of a ranged GET. */
export function parseContentRange(header: string | undefined): { start: number; end: number; total: number } | undefined {
  const match = header === undefined ? null : /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header);
  if (match === null) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) };
}

/**
 * True unless the ETag is a plain MD5 (single-part upload, no SSE-KMS) that does not match the body, which
 * means the server paired one version's body with another version's ETag. Other ETag forms cannot be checked.
 */
export function isConsistentRead(body: Uint8Array, etag: string): boolean {
  if (!/^[0-9a-f]{32}$/.test(etag)) return true;
  return createHash('md5').update(body).digest('hex') === etag;
}
