import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore, DigestAlgorithm, StoredDocument } from '../blob-store';
import { bytesOf } from '../integrity';

/** What a contract suite needs from an adapter under test. */
export interface BlobStoreUnderTest {
  store: BlobStore;
  /** How many staged writes are still lying around (temp files, staging objects); failures must leave none. */
  stagingLeftovers?(): Promise<number>;
  /**
   * A second store over the same storage, as another process would build it (its own client and in-process state);
   * default: asSeparateInstance(store). Cross-instance compare-and-swap races run between the two.
   */
  anotherInstance?(): BlobStore;
  teardown?(): Promise<void>;
}

export interface ContractContext {
  readonly store: BlobStore;
  anotherInstance(): BlobStore;
  /** A key prefix no other test in this run uses. */
  unique(name: string): string;
  expectNoStagingLeftovers(): Promise<void>;
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks);
}

export const digestHex = (algorithm: DigestAlgorithm, data: Buffer | Uint8Array): string => createHash(algorithm).update(bytesOf(data)).digest('hex');

/** Writes `data` through a staged write and commits it. */
export async function putBlob(store: BlobStore, key: string, data: Buffer, contentType = 'application/octet-stream'): Promise<void> {
  const pending = await store.begin(key, { contentType });
  pending.body.end(data);
  await pending.commit();
}

/**
 * Deterministic pseudo-random bytes, produced lazily in 64 KiB chunks so the test itself never holds the body.
 * Each chunk is one random block stamped with its index, so reordered or repeated chunks change the digest.
 */
export function* generatedChunks(totalBytes: number, seed = 1): Generator<Uint8Array> {
  const block = new Uint8Array(65_536);
  const view = new DataView(block.buffer);
  let state = seed;
  for (let i = 0; i < block.length; i += 4) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    view.setUint32(i, state, true);
  }
  for (let offset = 0, index = 0; offset < totalBytes; offset += block.length, index++) {
    const chunk = block.slice(0, Math.min(block.length, totalBytes - offset));
    if (chunk.length >= 4) new DataView(chunk.buffer).setUint32(0, index, true);
    yield chunk;
  }
}

/**
 * Another instance over the same storage: every call goes to `store`, but it is a store object of its own, as
 * a second process's would be (per-instance state, such as updateDocument's queue, is not shared).
 */
export function asSeparateInstance(store: BlobStore): BlobStore {
  return {
    get: (key, opts) => store.get(key, opts),
    head: (key) => store.head(key),
    begin: (key, opts) => store.begin(key, opts),
    getDocument: (key) => store.getDocument(key),
    putDocument: (key, body, opts) => store.putDocument(key, body, opts),
    delete: (key) => store.delete(key),
    list: (prefix) => store.list(prefix),
    ping: () => store.ping(),
  };
}

/**
 * Wraps each of `instances` so that their first getDocument calls all resolve only once every one of them has
 * read: this makes concurrent read-modify-write races between instances happen every time instead of by luck.
 */
export function withReadBarrier(instances: BlobStore[]): BlobStore[] {
  let waiting: Array<() => void> = [];
  let remaining = instances.length;
  return instances.map((store) => ({
    ...asSeparateInstance(store),
    async getDocument(key: string): Promise<StoredDocument | undefined> {
      const doc = await store.getDocument(key);
      if (remaining <= 0) return doc;
      remaining -= 1;
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (remaining === 0) {
          waiting.forEach((release) => release());
          waiting = [];
        }
      });
      return doc;
    },
  }));
}
