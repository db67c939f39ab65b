import type { BlobMeta, BlobStore } from './blob-store';
import { assertValidKey } from './keys';

/**
 * A view of `store` where every key lives under `prefix` (e.g. "npm/" and "pypi/" sharing one bucket).
 * Keys and metadata seen through the view have the prefix removed.
 */
export function prefixedBlobStore(store: BlobStore, prefix: string): BlobStore {
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  assertValidKey(base.slice(0, -1));
  const full = (key: string): string => {
    assertValidKey(key); // validate before joining so ".." cannot climb out of the prefix
    return base + key;
  };
  const strip = (meta: BlobMeta): BlobMeta => ({ ...meta, key: meta.key.slice(base.length) });
  const { downloadUrl } = store;
  return {
    ...(downloadUrl === undefined ? {} : { downloadUrl: (key: string, opts: { expiresInMs: number }) => downloadUrl.call(store, full(key), opts) }),
    async get(key, opts) {
      const blob = await store.get(full(key), opts);
      return blob === undefined ? undefined : { ...blob, meta: strip(blob.meta) };
    },
    async head(key) {
      const meta = await store.head(full(key));
      return meta === undefined ? undefined : strip(meta);
    },
    async begin(key, opts) {
      const pending = await store.begin(full(key), opts);
      return { body: pending.body, commit: async () => strip(await pending.commit()), abort: () => pending.abort() };
    },
    getDocument: (key) => store.getDocument(full(key)),
    putDocument: (key, body, opts) => store.putDocument(full(key), body, opts),
    delete: (key) => store.delete(full(key)),
    async *list(listPrefix) {
      for await (const key of store.list(base + listPrefix)) yield key.slice(base.length);
    },
    ping: () => store.ping(),
  };
}
