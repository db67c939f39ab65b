import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@registry/shared-logger';
import { FAKE_OBJECT_ORIGIN, InMemoryBlobStore, PresigningBlobStore, putBlob } from '@registry/storage-blob-store/testing';
import { createReadThrough } from './read-through';
import { drain, gatedUpstream, opened, payload, sameBytes, sha256 } from './testing/read-through-support';
import type { ReadThrough } from './types';

describe('read-through with download redirects', () => {
  let store: PresigningBlobStore;
  let spoolDir: string;
  let cache: ReadThrough;

  beforeEach(async () => {
    store = new PresigningBlobStore();
    spoolDir = await mkdtemp(path.join(tmpdir(), 'read-through-redirect-'));
    // The memory tier on too: a redirect still wins for whole files, so the bytes never pass through the proxy.
    cache = createReadThrough({ store, logger: silentLogger, spoolDir, memory: { maxBytes: 100_000, maxItemBytes: 50_000 }, redirect: { expiresInMs: 60_000 } });
  });
  afterEach(() => rm(spoolDir, { recursive: true, force: true }));

  it('answers a stored blob with its URL and the stored size, without reading it', async () => {
    await putBlob(store, 'pkg/a.tgz', Buffer.from(payload(3_000)));
    store.gets = 0;
    const hit = await cache.open('pkg/a.tgz');
    expect(hit).toMatchObject({ source: 'cache', body: undefined, size: 3_000, location: `${FAKE_OBJECT_ORIGIN}/pkg/a.tgz?expires-in-ms=60000` });
    expect(store.gets).toBe(0);
  });

  it('streams a miss from the upstream and caches it; the next request is a redirect', async () => {
    const data = payload(20_000);
    const upstream = gatedUpstream(data);
    upstream.release();
    const fill = { fetch: upstream.fetch, expectedDigest: { algorithm: 'sha256' as const, hex: sha256(data) } };
    const miss = await opened(cache, 'pkg/b.tgz', fill);
    expect(miss).toMatchObject({ source: 'upstream' });
    expect(miss.location).toBeUndefined();
    expect(sameBytes((await drain(miss.body)).data, data)).toBe(true);
    const hit = await opened(cache, 'pkg/b.tgz', fill);
    expect(hit).toMatchObject({ source: 'cache', size: data.length, location: expect.stringContaining('/pkg/b.tgz?') });
    expect(upstream.calls).toBe(1);
  });

  it('looks at the store once per key: later hits only sign', async () => {
    await putBlob(store, 'pkg/c.tgz', Buffer.from(payload(100)));
    store.heads = 0;
    for (let i = 0; i < 3; i++) await cache.open('pkg/c.tgz');
    expect({ heads: store.heads, gets: store.gets, presigned: store.presigned }).toEqual({ heads: 1, gets: 0, presigned: 3 });
  });

  it('serves HEAD and ranges itself (a presigned GET URL does not sign them)', async () => {
    const data = Buffer.from(payload(1_000));
    await putBlob(store, 'pkg/d.tgz', data);
    const head = await cache.open('pkg/d.tgz', { headOnly: true });
    expect(head).toMatchObject({ source: 'cache', body: undefined, size: 1_000 });
    expect(head?.location).toBeUndefined();
    const part = await cache.open('pkg/d.tgz', { range: () => ({ start: 10, end: 19 }) });
    expect(part?.location).toBeUndefined();
    expect(sameBytes((await drain(part?.body)).data, data.subarray(10, 20))).toBe(true);
  });

  it('reports a blob that is not stored as missing (no URL for a miss)', async () => {
    expect(await cache.open('pkg/absent.tgz')).toBeUndefined();
    expect(store.presigned).toBe(0);
  });

  it('refetches a stored copy whose digest the upstream no longer announces, streaming it', async () => {
    await putBlob(store, 'pkg/e.tgz', Buffer.from(payload(500, 1)));
    expect((await cache.open('pkg/e.tgz'))?.location).toBeDefined();
    const fresh = payload(500, 2);
    const upstream = gatedUpstream(fresh);
    upstream.release();
    const refetched = await opened(cache, 'pkg/e.tgz', { fetch: upstream.fetch, expectedDigest: { algorithm: 'sha256', hex: sha256(fresh) } });
    expect(refetched.source).toBe('upstream');
    expect(sameBytes((await drain(refetched.body)).data, fresh)).toBe(true);
    expect(upstream.calls).toBe(1);
  });

  it('refuses to start on a store without download URLs', () => {
    expect(() => createReadThrough({ store: new InMemoryBlobStore(), logger: silentLogger, redirect: { expiresInMs: 60_000 } })).toThrow(/STORAGE_DRIVER=s3/);
  });
});
