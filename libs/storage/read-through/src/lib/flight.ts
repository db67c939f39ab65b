import { randomUUID } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { AppError, isAppError } from '@registry/shared-errors';
import { notCached } from './not-cached';
import { STORE_UNAVAILABLE, type BlobMeta, type BlobStore, type PendingBlob } from '@registry/storage-blob-store';
import type { UpstreamBody, UpstreamFill } from './types';

/**
 * One upstream download shared by every caller that missed the same key. The body goes, chunk by chunk, to an
 * unlinked spool file (which the callers' SpoolReaders tail) and to the store's staged write; the chunk is
 * acknowledged upstream only when both took it, so the download runs at the store's pace and clients at their
 * own, without buffering in memory. Commit happens only after the store verified size and digest.
 */
export class Flight {
  written = 0;
  error: AppError | undefined;
  meta: BlobMeta | undefined;
  upstream: Pick<UpstreamBody, 'size' | 'contentType'> = {};
  private spool: FileHandle | undefined;
  private references = 1; // the download itself; each SpoolReader adds one
  private wake: (() => void) | undefined;
  private wakeUp: Promise<void> | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly key: string, private readonly store: BlobStore, private readonly opts: UpstreamFill) {}

  get isCommitted(): boolean {
    return this.meta !== undefined;
  }

  /** Resolves when the body starts flowing (callers may attach readers); rejects with why it cannot. */
  async start(spoolDir: string, onSettled: () => void): Promise<void> {
    let pending: PendingBlob | undefined;
    let body: UpstreamBody['body'] | undefined;
    try {
      const spoolPath = path.join(spoolDir, `read-through-${randomUUID()}`);
      this.spool = await open(spoolPath, 'wx+');
      await rm(spoolPath); // the open handle keeps the bytes; nothing is left on disk even if the process dies
      const upstream = await this.opts.fetch(this.controller.signal).catch((err: unknown) => { throw notCached(path.basename(this.key), err); });
      body = upstream.body;
      // The body may fail (connection reset) before download() starts reading it; without a listener that
      // 'error' event would crash the process. The error is not lost: download()'s iterator rethrows it.
      body.on('error', () => undefined);
      this.upstream = { size: this.opts.expectedSize ?? upstream.size, contentType: upstream.contentType ?? this.opts.contentType };
      const expectedSize = this.opts.expectedSize ?? upstream.size;
      pending = await this.store.begin(this.key, {
        contentType: this.upstream.contentType ?? 'application/octet-stream',
        ...(expectedSize === undefined ? {} : { expectedSize }),
        ...(this.opts.expectedDigest === undefined ? {} : { expectedDigest: this.opts.expectedDigest }),
      });
    } catch (err) {
      body?.destroy();
      await this.fail(err, pending, onSettled);
      this.release();
      throw this.error;
    }
    void this.download(body, pending, onSettled);
  }

  private async download(body: UpstreamBody['body'], pending: PendingBlob, onSettled: () => void): Promise<void> {
    try {
      for await (const chunk of body) {
        const bytes = chunk as Uint8Array;
        await this.spool!.write(bytes, 0, bytes.length, this.written);
        await writeWithBackpressure(pending.body, bytes).catch((err: unknown) => {
          throw isAppError(err) ? err : new AppError('unavailable', `cache store write of ${this.key} failed`, { cause: err, publicMessage: STORE_UNAVAILABLE });
        });
        this.written += bytes.length;
        this.notify();
      }
      this.meta = await pending.commit();
      this.notify();
      onSettled();
    } catch (err) {
      body.destroy();
      await this.fail(err, pending, onSettled);
    } finally {
      this.release();
    }
  }

  private async fail(err: unknown, pending: PendingBlob | undefined, onSettled: () => void): Promise<void> {
    this.error = isAppError(err) ? err : new AppError('upstream_unavailable', `download of ${this.key} failed`, { cause: err, publicMessage: 'the upstream download failed' });
    this.controller.abort();
    onSettled(); // the next request retries upstream
    this.notify();
    await pending?.abort().catch(() => undefined);
  }

  readSpool(position: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    return this.spool!.read(buffer, 0, length, position).then(({ bytesRead }) => buffer.subarray(0, bytesRead));
  }

  /** Resolves at the next progress, commit or failure. */
  changed(): Promise<void> {
    return (this.wakeUp ??= new Promise((resolve) => { this.wake = resolve; }));
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    this.wakeUp = undefined;
    wake?.();
  }

  retain(): void {
    this.references += 1;
  }

  release(): void {
    this.references -= 1;
    if (this.references === 0) void this.spool?.close().catch(() => undefined);
  }
}

function writeWithBackpressure(target: Writable, chunk: Uint8Array): Promise<void> {
  if (target.destroyed) return Promise.reject(target.errored ?? new Error('storage write closed'));
  if (target.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = (): void => { stop(); resolve(); };
    const onClose = (): void => { stop(); reject(target.errored ?? new Error('storage write closed')); };
    const stop = (): void => { target.off('drain', onDrain); target.off('close', onClose); };
    target.on('drain', onDrain);
    target.on('close', onClose);
  });
}


/** One client's read size: memory per reader, however slow the client. */
const CHUNK = 64 * 1024;

/**
 * One client's view of a download in progress: reads the flight's spool file from the start, up to what has
 * been written so far, and waits for more. It withholds the last byte until the blob is verified and
 * committed, so a client can never mistake a body that later fails verification for a complete one; on
 * failure it is destroyed with the flight's error. Memory per reader is one chunk, however slow the client.
 */
export class SpoolReader extends Readable {
  private position = 0;
  private pumping = false;

  /** Takes over a reference the caller got with `flight.retain()` when it joined the flight. */
  constructor(private readonly flight: Flight) {
    super({ highWaterMark: CHUNK });
  }

  override _read(): void {
    void this.pump();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.flight.release();
    callback(err);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.destroyed) return;
        const { flight } = this;
        if (flight.error !== undefined) {
          this.destroy(flight.error);
          return;
        }
        const available = flight.isCommitted ? flight.written : Math.max(0, flight.written - 1);
        if (this.position < available) {
          const chunk = await flight.readSpool(this.position, Math.min(CHUNK, available - this.position));
          if (this.destroyed) return;
          this.position += chunk.length;
          if (!this.push(chunk)) return;
          continue;
        }
        if (flight.isCommitted) {
          this.push(null);
          return;
        }
        await flight.changed();
      }
    } catch (err) {
      this.destroy(err as Error);
    } finally {
      this.pumping = false;
    }
  }
}
