import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { AppError, isAppError } from '@registry/shared-errors';
import type { BeginOptions } from './blob-store';
import { ByteDigester, verifyIntegrity, type Digests } from './integrity';

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
 * The adapter-independent half of a staged write (style §3.9). Backpressure is preserved: a chunk is
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
    const onAbort = (): void => { body.destroy(new AppError('unavailable', `write of ${key} aborted`, { cause: signal.reason })); };
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
    throw new AppError('integrity_mismatch', `write of ${key} failed before commit`, { cause: err });
  }
  const digests = digester.digest();
  verifyIntegrity(key, digester.size, digests, opts);
  return { size: digester.size, digests };
}
