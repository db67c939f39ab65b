import { randomBytes } from 'node:crypto';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { TarballMemory } from './tarball-memory';

async function put(store: InMemoryBlobStore, key: string, bytes: Buffer): Promise<void> {
  const pending = await store.begin(key);
  pending.body.end(bytes);
  await pending.commit();
}

describe('TarballMemory', () => {
  it('serves the stored bytes, reading the store once for a burst of concurrent misses', async () => {
    const store = new InMemoryBlobStore();
    const bytes = randomBytes(10_000);
    await put(store, 't/a.tgz', bytes);
    const gets = jest.spyOn(store, 'get');
    const memory = new TarballMemory(store, { maxBytes: 100_000, maxItemBytes: 50_000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => memory.lookup('t/a.tgz')));
    for (const r of results) expect(r.kind === 'bytes' && Buffer.compare(r.bytes, bytes)).toBe(0);
    expect(gets).toHaveBeenCalledTimes(1);
    await memory.lookup('t/a.tgz');
    expect(gets).toHaveBeenCalledTimes(1);
  });

  it('leaves tarballs over the item limit to streaming, and reports a missing key as missing', async () => {
    const store = new InMemoryBlobStore();
    await put(store, 't/big.tgz', randomBytes(60_000));
    const memory = new TarballMemory(store, { maxBytes: 100_000, maxItemBytes: 50_000 });
    expect((await memory.lookup('t/big.tgz')).kind).toBe('large');
    expect((await memory.lookup('t/big.tgz')).kind).toBe('large');
    expect((await memory.lookup('t/none.tgz')).kind).toBe('missing');
  });

  it('keeps within its byte budget, evicting the least recently used', async () => {
    const store = new InMemoryBlobStore();
    for (const name of ['a', 'b', 'c']) await put(store, `t/${name}.tgz`, randomBytes(40_000));
    const memory = new TarballMemory(store, { maxBytes: 100_000, maxItemBytes: 50_000 });
    for (const name of ['a', 'b', 'c']) await memory.lookup(`t/${name}.tgz`);
    const gets = jest.spyOn(store, 'get');
    await memory.lookup('t/c.tgz');
    expect(gets).toHaveBeenCalledTimes(0);
    await memory.lookup('t/a.tgz');
    expect(gets).toHaveBeenCalledTimes(1);
  });
});
