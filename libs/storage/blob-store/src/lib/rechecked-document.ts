import { SingleFlight } from '@registry/shared-util';
import type { BlobStore } from './blob-store';
import { readJsonDocument } from './json-document';

export interface RecheckedDocumentOptions<T> {
  /** How long the copy held here is answered without asking the store (ms); 0: every read asks. */
  recheckMs: number;
  now: () => number;
  /** Turns the stored JSON into the value (and refuses a document that is not one); may throw. */
  parse: (value: unknown) => T;
}

type Held<T> = { etag: string; value: T; checkedAt: number } | { etag: undefined; value: undefined; checkedAt: number };

/**
 * A document another process writes (the lake's usage snapshot), read for many requests: the copy held here is
 * answered for `recheckMs`, then one `head` tells whether the document changed (its etag), and only a changed
 * document is read and parsed again. A missing document is held as missing for as long. Concurrent reads share
 * one store round trip. A document that fails to parse is not held: the error goes to the caller, every time.
 */
export function recheckedJsonDocument<T>(store: BlobStore, key: string, opts: RecheckedDocumentOptions<T>): { read(): Promise<T | undefined> } {
  let held: Held<T> | undefined;
  const loads = new SingleFlight<T | undefined>();
  const load = async (): Promise<T | undefined> => {
    const checkedAt = opts.now();
    const meta = await store.head(key);
    if (meta !== undefined && held?.etag === meta.etag) {
      held.checkedAt = checkedAt;
      return held.value;
    }
    const stored = meta === undefined ? undefined : await readJsonDocument<unknown>(store, key);
    held = stored === undefined
      ? { etag: undefined, value: undefined, checkedAt }
      : { etag: stored.etag, value: opts.parse(stored.value), checkedAt };
    return held.value;
  };
  return {
    read: () => {
      if (held !== undefined && opts.now() - held.checkedAt < opts.recheckMs) return Promise.resolve(held.value);
      return loads.run(key, load);
    },
  };
}
