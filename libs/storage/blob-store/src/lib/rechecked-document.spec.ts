import type { BlobStore } from './blob-store';
import { recheckedJsonDocument } from './rechecked-document';
import { InMemoryBlobStore } from './testing/in-memory-blob-store';

/** The real in-memory store, with its reads counted (the store is not what is under test). */
function countingStore(): { store: BlobStore; calls: { head: number; getDocument: number } } {
  const inner = new InMemoryBlobStore();
  const calls = { head: 0, getDocument: 0 };
  const store: BlobStore = Object.assign(Object.create(inner) as BlobStore, {
    head: (key: string) => { calls.head++; return inner.head(key); },
    getDocument: (key: string) => { calls.getDocument++; return inner.getDocument(key); },
  });
  return { store, calls };
}

const put = (store: BlobStore, value: unknown) => store.putDocument('lake/doc.json', Buffer.from(JSON.stringify(value)));

describe('recheckedJsonDocument', () => {
  let clock = 0;
  const parse = (value: unknown): { n: number } => {
    if (typeof (value as { n?: unknown }).n !== 'number') throw new Error('not a counted document');
    return value as { n: number };
  };

  it('answers its copy within recheckMs, then reads again only what changed', async () => {
    const { store, calls } = countingStore();
    const doc = recheckedJsonDocument(store, 'lake/doc.json', { recheckMs: 1000, now: () => clock, parse });
    await put(store, { n: 1 });
    expect(await doc.read()).toEqual({ n: 1 });
    await put(store, { n: 2 });
    clock += 999;
    expect(await doc.read()).toEqual({ n: 1 });
    expect(calls).toEqual({ head: 1, getDocument: 1 });
    clock += 1;
    expect(await doc.read()).toEqual({ n: 2 });
    clock += 1000;
    expect(await doc.read()).toEqual({ n: 2 });
    expect(calls).toEqual({ head: 3, getDocument: 2 }); // the unchanged document cost one head
  });

  it('holds a missing document as missing until the next recheck, and shares one read among concurrent callers', async () => {
    const { store, calls } = countingStore();
    const doc = recheckedJsonDocument(store, 'lake/doc.json', { recheckMs: 1000, now: () => clock, parse });
    expect(await Promise.all([doc.read(), doc.read(), doc.read()])).toEqual([undefined, undefined, undefined]);
    expect(calls).toEqual({ head: 1, getDocument: 0 });
    await put(store, { n: 3 });
    expect(await doc.read()).toBeUndefined();
    clock += 1000;
    expect(await doc.read()).toEqual({ n: 3 });
  });

  it('gives the parse error to every read and holds nothing from it', async () => {
    const { store, calls } = countingStore();
    const doc = recheckedJsonDocument(store, 'lake/doc.json', { recheckMs: 1000, now: () => clock, parse });
    await put(store, { n: 'one' });
    await expect(doc.read()).rejects.toThrow('not a counted document');
    await expect(doc.read()).rejects.toThrow('not a counted document');
    expect(calls.getDocument).toBe(2);
  });
});
