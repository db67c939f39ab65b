import { createHash, type Hash } from 'node:crypto';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError, isAppError } from '@registry/shared-errors';
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
    throw new AppError('integrity_mismatch', `size mismatch for ${key}: expected ${opts.expectedSize} bytes, got ${size}`, { publicMessage: `size mismatch: expected ${opts.expectedSize} bytes, got ${size}` });
  }
  const expected = opts.expectedDigest;
  if (expected === undefined) return;
  const actual = digests[expected.algorithm];
  if (actual !== expected.hex.toLowerCase()) {
    throw new AppError('integrity_mismatch', `${expected.algorithm} mismatch for ${key}: expected ${expected.hex}, got ${actual ?? 'none'}`, {
      publicMessage: `${expected.algorithm} mismatch: expected ${expected.hex}, got ${actual ?? 'none'}`,
    });
  }
}

/**
 * A Uint8Array view of a Buffer (no copy). @types/node 20.9's Buffer is not assignable to TypeScript 5.9's
 * generic Uint8Array, so Buffers cross into crypto/fs APIs through this view.
 */
export const bytesOf = (data: Buffer | Uint8Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export interface StagedBody {
  /** What PendingBlob.body exposes: hashes and counts every chunk, then forwards it to the adapter's target. */
  readonly body: Writable;
  /**
   * Ends the body if still open, waits until the target flushed every byte, and checks size and digest.
   * Rejects with AppError('integrity_mismatch') on a mismatch or when the writer failed or was aborted.
   */
  finish(): Promise<{ size: number; digests: Digests }>;
}

/**
 * The adapter-independent half of a staged write. Backpressure is preserved: a chunk is
 * acknowledged only when the target accepted it. A failure on either side destroys both, so an adapter
 * only has to clean up its staging area.
 */
export function createStagedBody(key: string, target: Writable, opts: BeginOptions): StagedBody {
  const digester = new ByteDigester(opts.expectedDigest?.algorithm);
  const body = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Uint8Array, _encoding, done) {
      digester.update(chunk);
      if (target.write(chunk)) return done();
      const onDrain = (): void => { target.off('close', onClose); done(); };
      const onClose = (): void => { target.off('drain', onDrain); done(new Error(`storage target for ${key} closed`)); };
      target.once('drain', onDrain);
      target.once('close', onClose);
    },
    final(done) {
      target.end();
      finished(target).then(() => done(), done);
    },
    destroy(err, done) {
      if (!target.destroyed) target.destroy(err ?? undefined);
      done(err);
    },
  });
  target.on('error', (err) => body.destroy(err));
  const signal = opts.signal;
  if (signal !== undefined) {
    const onAbort = (): void => { body.destroy(new AppError('unavailable', `write of ${key} aborted`, { cause: signal.reason, publicMessage: 'a store write was aborted' })); };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    body.once('close', () => signal.removeEventListener('abort', onAbort));
  }
  let result: Promise<{ size: number; digests: Digests }> | undefined;
  return {
    body,
    finish: () => (result ??= settle(key, body, digester, opts)),
  };
}

async function settle(key: string, body: Writable, digester: ByteDigester, opts: BeginOptions): Promise<{ size: number; digests: Digests }> {
  try {
    if (!body.writableEnded && !body.destroyed) body.end();
    await finished(body);
  } catch (err) {
    if (isAppError(err)) throw err;
    throw new AppError('integrity_mismatch', `write of ${key} failed before commit`, { cause: err, publicMessage: 'a store write failed before it was complete' });
  }
  const digests = digester.digest();
  verifyIntegrity(key, digester.size, digests, opts);
  return { size: digester.size, digests };
}
