import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@registry/shared-logger';
import { CountingBlobStore, putBlob } from '@registry/storage-blob-store/testing';
import { createReadThrough } from './read-through';
import { drain, gatedUpstream, opened, payload, sameBytes, sha256 } from './testing/read-through-support';
import type { ReadThrough } from './types';

/** The probes a request makes before it knows whether the blob is cached. */
const probes = (store: CountingBlobStore): number => store.gets + store.heads;

describe('read-through: who decides hit and miss', () => {
  let store: CountingBlobStore;
  let spoolDir: string;
  let cache: ReadThrough;
  const memory = { maxBytes: 100_000, maxItemBytes: 50_000 };

  beforeEach(async () => {
    store = new CountingBlobStore();
    spoolDir = await mkdtemp(path.join(tmpdir(), 'read-through-probes-'));
    cache = createReadThrough({ store, logger: silentLogger, spoolDir, memory });
  });
  afterEach(() => rm(spoolDir, { recursive: true, force: true }));

  it('probes the store once on a miss, then serves the committed blob from memory', async () => {
    const data = payload(20_000);
    const upstream = gatedUpstream(data);
    upstream.release();
    const miss = await opened(cache, 'pkg/a.tgz', { fetch: upstream.fetch, expectedDigest: { algorithm: 'sha256', hex: sha256(data) } });
    expect(probes(store)).toBe(1);
    expect(miss.source).toBe('upstream');
    expect(sameBytes((await drain(miss.body)).data, data)).toBe(true);
    const first = await opened(cache, 'pkg/a.tgz', { fetch: upstream.fetch });
    const second = await opened(cache, 'pkg/a.tgz', { fetch: upstream.fetch }, { range: () => ({ start: 10, end: 19 }) });
    expect(Buffer.isBuffer(first.body) && sameBytes(first.body, data)).toBe(true);
    expect(second).toMatchObject({ source: 'cache', size: data.length, range: { start: 10, end: 19 } });
    expect(sameBytes(second.body as Buffer, data.subarray(10, 20))).toBe(true);
    expect(probes(store)).toBe(2);
    expect(upstream.calls).toBe(1);
  });

  it('reads the store once for a burst of concurrent hits, and streams blobs over the item limit', async () => {
    const small = randomBytes(10_000);
    const big = randomBytes(60_000);
    await putBlob(store, 't/small.tgz', small);
    await putBlob(store, 't/big.tgz', big);
    store.gets = 0;
    store.heads = 0;
    const burst = await Promise.all(Array.from({ length: 20 }, () => cache.open('t/small.tgz')));
    for (const hit of burst) expect(Buffer.isBuffer(hit?.body) && sameBytes(hit.body, small)).toBe(true);
    expect(probes(store)).toBe(1);
    for (let i = 0; i < 2; i++) {
      const streamed = await cache.open('t/big.tgz');
      expect(Buffer.isBuffer(streamed?.body)).toBe(false);
      expect(sameBytes((await drain(streamed?.body)).data, big)).toBe(true);
    }
    expect(probes(store)).toBe(1 + 2 + 1); // the first big read learns it is large, then one read each
  });

  it('keeps within its byte budget, evicting the least recently used', async () => {
    for (const name of ['a', 'b', 'c']) await putBlob(store, `t/${name}.tgz`, randomBytes(40_000));
    for (const name of ['a', 'b', 'c']) await cache.open(`t/${name}.tgz`);
    store.gets = 0;
    store.heads = 0;
    await cache.open('t/c.tgz');
    expect(probes(store)).toBe(0);
    await cache.open('t/a.tgz');
    expect(probes(store)).toBe(1);
  });

  it('answers a stored-only miss with nothing and a HEAD miss from the expected size, without downloading', async () => {
    expect(await cache.open('private/none.whl')).toBeUndefined();
    const upstream = gatedUpstream(payload(1000));
    const head = await opened(cache, 'pkg/head.whl', { fetch: upstream.fetch, expectedSize: 1000 }, { headOnly: true });
    expect(head).toEqual({ source: 'upstream', body: undefined, size: 1000 });
    expect(upstream.calls).toBe(0);
  });

  it('refetches a stored copy whose digest no longer matches the upstream', async () => {
    await putBlob(store, 'pkg/moved.whl', Buffer.from('old bytes'));
    const data = payload(5_000);
    const upstream = gatedUpstream(data);
    upstream.release();
    const fresh = await opened(cache, 'pkg/moved.whl', { fetch: upstream.fetch, expectedDigest: { algorithm: 'sha256', hex: sha256(data) } });
    expect(fresh.source).toBe('upstream');
    expect(sameBytes((await drain(fresh.body)).data, data)).toBe(true);
  });
});
