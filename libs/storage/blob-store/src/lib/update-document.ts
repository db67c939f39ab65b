import { setTimeout as delay } from 'node:timers/promises';
import { AppError, isAppError } from '@registry/shared-errors';
import type { BlobStore } from './blob-store';

export interface UpdateDocumentOptions {
  /** Attempts before giving up with AppError('conflict'); default 16. */
  maxAttempts?: number;
  contentType?: string;
}

export interface UpdateDocumentResult<T> {
  /** The document as stored after the call (the mutation's result, or the unchanged current value). */
  value: T | undefined;
  /** Etag of the stored document; undefined when the document does not exist. */
  etag: string | undefined;
  /** False when `mutate` returned undefined, i.e. nothing was written. */
  written: boolean;
  attempts: number;
}

/**
 * Read-modify-write of a JSON document with compare-and-swap, so that two instances updating the same
 * document never lose each other's change: the write is conditional on the etag that was read (or on the
 * key being absent), and on AppError('precondition_failed') the whole read-mutate-write is retried after a
 * jittered backoff. `mutate` may run several times and must be pure; returning undefined writes nothing.
 */
export async function updateDocument<T>(
  store: BlobStore,
  key: string,
  mutate: (current: T | undefined) => T | undefined,
  opts: UpdateDocumentOptions = {},
): Promise<UpdateDocumentResult<T>> {
  const maxAttempts = opts.maxAttempts ?? 16;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await store.getDocument(key);
    const currentValue = current === undefined ? undefined : (JSON.parse(current.body.toString('utf8')) as T);
    const next = mutate(currentValue);
    if (next === undefined) return { value: currentValue, etag: current?.etag, written: false, attempts: attempt };
    const body = Buffer.from(JSON.stringify(next));
    const condition = current === undefined ? { ifNoneMatch: '*' as const } : { ifMatch: current.etag };
    try {
      const { etag } = await store.putDocument(key, body, { contentType: opts.contentType ?? 'application/json', ...condition });
      return { value: next, etag, written: true, attempts: attempt };
    } catch (err) {
      if (!isAppError(err) || err.code !== 'precondition_failed') throw err;
      await delay(backoffMs(attempt));
    }
  }
  throw new AppError('conflict', `gave up updating ${key} after ${maxAttempts} concurrent-modification retries`);
}

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"), 5 ms base, capped at 500 ms. */
const backoffMs = (attempt: number): number => Math.random() * Math.min(500, 5 * 2 ** attempt);
