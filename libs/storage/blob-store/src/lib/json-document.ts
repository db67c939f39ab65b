import { setTimeout as delay } from 'node:timers/promises';
import { AppError, isAppError } from '@registry/shared-errors';
import { KeyedMutex } from '@registry/shared-util';
import type { BlobStore } from './blob-store';

export interface JsonDocument<T> {
  value: T;
  /** Etag of the stored document, for a later compare-and-swap. */
  etag: string;
  /** Size of the stored JSON (bytes): a parsed document's weight in the memory caches. */
  bytes: number;
}

/** Reads and parses a JSON document; undefined when there is none. The one reader beside updateDocument. */
export async function readJsonDocument<T>(store: BlobStore, key: string): Promise<JsonDocument<T> | undefined> {
  const stored = await store.getDocument(key);
  if (stored === undefined) return undefined;
  return { value: JSON.parse(stored.body.toString('utf8')) as T, etag: stored.etag, bytes: stored.body.length };
}

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

/** One queue per store object: the writers of one process (one store instance) never race each other. */
const queues = new WeakMap<BlobStore, KeyedMutex>();

/**
 * Read-modify-write of a JSON document with compare-and-swap, so that two instances updating the same
 * document never lose each other's change: the write is conditional on the etag that was read (or on the
 * key being absent), and on AppError('precondition_failed') the whole read-mutate-write is retried after a
 * jittered backoff. Within one process the updates of a key through one store queue in arrival order, so
 * parallel writers (a `twine upload dist/*` of a release, a burst of publishes) never starve each other in
 * retries; only other instances compete. `mutate` may run several times and must be pure; returning
 * undefined writes nothing.
 */
export function updateDocument<T>(
  store: BlobStore,
  key: string,
  mutate: (current: T | undefined) => T | undefined,
  opts: UpdateDocumentOptions = {},
): Promise<UpdateDocumentResult<T>> {
  let queue = queues.get(store);
  if (queue === undefined) {
    queue = new KeyedMutex();
    queues.set(store, queue);
  }
  return queue.run(key, () => compareAndSwap(store, key, mutate, opts));
}

async function compareAndSwap<T>(
  store: BlobStore,
  key: string,
  mutate: (current: T | undefined) => T | undefined,
  opts: UpdateDocumentOptions,
): Promise<UpdateDocumentResult<T>> {
  const maxAttempts = opts.maxAttempts ?? 16;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await readJsonDocument<T>(store, key);
    const currentValue = current?.value;
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
  throw new AppError('conflict', `gave up updating ${key} after ${maxAttempts} concurrent-modification retries`, {
    publicMessage: 'too many concurrent changes of this document; try again',
  });
}

/** Full jitter: a random wait up to an exponential bound (5 ms base, capped at 500 ms), so retries spread out. */
const backoffMs = (attempt: number): number => Math.random() * Math.min(500, 5 * 2 ** attempt);

/**
 * One JSON document as a read / compare-and-swap update pair, for code that must not know the store (a port such as
 * the firewall's exemption document); `empty` is what an update that wrote nothing answers.
 */
export function jsonDocumentAt<T>(store: BlobStore, key: string, empty: T): { read(): Promise<T | undefined>; update(mutate: (current: T | undefined) => T): Promise<T> } {
  return {
    read: async () => (await readJsonDocument<T>(store, key))?.value,
    update: async (mutate) => (await updateDocument<T>(store, key, mutate)).value ?? empty,
  };
}
