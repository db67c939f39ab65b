import { createHash } from 'node:crypto';

/** The digest a tarball is verified against before it is cached or accepted (hex, as the BlobStore port wants). */
export interface ExpectedDigest {
  algorithm: 'sha512' | 'sha1';
  hex: string;
}

/**
 * Picks the strongest digest the packument gives: `dist.integrity` sha512 (SRI, base64), else `dist.shasum`
 * (sha1 hex). Undefined when neither is usable: such a tarball is never cached unverified.
 */
export function expectedDigestOf(dist: { integrity?: unknown; shasum?: unknown } | undefined): ExpectedDigest | undefined {
  if (!dist) return undefined;
  if (typeof dist.integrity === 'string') {
    const sha512 = dist.integrity.split(/\s+/).find((entry) => entry.startsWith('sha512-'));
    if (sha512) {
      const hex = Buffer.from(sha512.slice('sha512-'.length).replace(/\?.*$/, ''), 'base64').toString('hex');
      if (hex.length === 128) return { algorithm: 'sha512', hex };
    }
  }
  if (typeof dist.shasum === 'string' && /^[0-9a-f]{40}$/i.test(dist.shasum)) return { algorithm: 'sha1', hex: dist.shasum.toLowerCase() };
  return undefined;
}

export interface TarballDigests {
  shasum: string;
  integrity: string;
  sha512Hex: string;
}

export function digestsOf(bytes: Buffer): TarballDigests {
  // A plain view: @types/node 20's Buffer does not satisfy TS 5.9's generic BinaryLike.
  const view = new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  const sha512 = createHash('sha512').update(view).digest();
  return {
    shasum: createHash('sha1').update(view).digest('hex'),
    integrity: `sha512-${sha512.toString('base64')}`,
    sha512Hex: sha512.toString('hex'),
  };
}
