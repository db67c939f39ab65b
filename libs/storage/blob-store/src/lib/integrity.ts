import { createHash, type Hash } from 'node:crypto';
import { AppError } from '@registry/shared-errors';
import type { BeginOptions, DigestAlgorithm } from './blob-store';

export type Digests = Partial<Record<DigestAlgorithm, string>>;

/** Hashes and counts bytes as they pass. sha256 is always computed (PyPI's digest, and the cache's own record). */
export class ByteDigester {
  private readonly hashes = new Map<DigestAlgorithm, Hash>();
  private bytes = 0;

  constructor(extra: DigestAlgorithm | undefined) {
    for (const algorithm of new Set<DigestAlgorithm>(['sha256', ...(extra ? [extra] : [])])) {
      this.hashes.set(algorithm, createHash(algorithm));
    }
  }

  update(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    for (const hash of this.hashes.values()) hash.update(chunk);
  }

  get size(): number {
    return this.bytes;
  }

  /** Finishes the hashes; call once. */
  digest(): Digests {
    const out: Digests = {};
    for (const [algorithm, hash] of this.hashes) out[algorithm] = hash.digest('hex');
    return out;
  }
}

/** Throws AppError('integrity_mismatch') unless size and digest match what the writer announced in begin(). */
export function verifyIntegrity(key: string, size: number, digests: Digests, opts: BeginOptions): void {
  if (opts.expectedSize !== undefined && size !== opts.expectedSize) {
    throw new AppError('integrity_mismatch', `size mismatch for ${key}: expected ${opts.expectedSize} bytes, got ${size}`);
  }
  const expected = opts.expectedDigest;
  if (expected === undefined) return;
  const actual = digests[expected.algorithm];
  if (actual !== expected.hex.toLowerCase()) {
    throw new AppError('integrity_mismatch', `${expected.algorithm} mismatch for ${key}: expected ${expected.hex}, got ${actual ?? 'none'}`);
  }
}

/** npm `dist.integrity` (Subresource Integrity, `sha512-<base64>`) to the hex digest BeginOptions expects. */
export function sha512IntegrityToHex(integrity: string): string {
  const match = /^sha512-([A-Za-z0-9+/]+={0,2})$/.exec(integrity.trim());
  const hex = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('hex');
  if (hex.length !== 128) throw new AppError('invalid_request', `not a sha512 integrity string: ${integrity}`);
  return hex;
}

/**
 * A Uint8Array view of a Buffer (no copy). @types/node 20.9's Buffer is not assignable to TypeScript 5.9's
 * generic Uint8Array, so Buffers cross into crypto/fs APIs through this view.
 */
export const bytesOf = (data: Buffer | Uint8Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
