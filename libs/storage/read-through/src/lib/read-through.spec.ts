import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { createFsBlobStore } from '@registry/storage-blob-store-fs';
import type { BlobStore } from '@registry/storage-blob-store';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createReadThrough } from './read-through';
import { drain, gatedUpstream, opened, payload, sameBytes, sha256, textBytes } from './testing/read-through-support';
import type { ReadThrough } from './types';

const stores: Array<[string, () => Promise<{ store: BlobStore; cleanUp(): Promise<void> }>]> = [
  ['in-memory store', async () => ({ store: new InMemoryBlobStore(), cleanUp: async () => undefined })],
  ['filesystem store', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'read-through-'));
    return { store: createFsBlobStore({ root }), cleanUp: () => rm(root, { recursive: true, force: true }) };
  }],
];

describe.each(stores)('read-through on the %s', (_name, makeStore) => {
  let store: BlobStore;
  let cleanUp: () => Promise<void>;
  let spoolDir: string;
  let cache: ReadThrough;

  beforeEach(async () => {
    ({ store, cleanUp } = await makeStore());
    spoolDir = await mkdtemp(path.join(tmpdir(), 'read-through-spool-'));
    cache = createReadThrough({ store, logger: silentLogger, spoolDir });
  });
  afterEach(async () => {
    await cleanUp();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('serves 50 concurrent misses from exactly one upstream fetch, with 50 correct bodies', async () => {
    const data = payload(1_000_000);
    const upstream = gatedUpstream(data);
    const expectedDigest = { algorithm: 'sha256' as const, hex: sha256(data) };
    const results = await Promise.all(Array.from({ length: 50 }, () => opened(cache, 'pkg/a-1.0.tgz', { fetch: upstream.fetch, expectedDigest })));
    upstream.release();
    const bodies = await Promise.all(results.map((r) => drain(r.body)));
    expect(upstream.calls).toBe(1);
    expect(results.every((r) => r.source === 'upstream' && r.size === data.length)).toBe(true);
    expect(bodies.map((b) => b.error)).toEqual(Array(50).fill(undefined));
    expect(new Set(bodies.map((b) => sha256(b.data)))).toEqual(new Set([expectedDigest.hex]));
    const again = await opened(cache, 'pkg/a-1.0.tgz', { fetch: upstream.fetch }, { range: () => ({ start: 10, end: 19 }) });
    expect(again.source).toBe('cache');
    expect(sameBytes((await drain(again.body)).data, data.subarray(10, 20))).toBe(true);
    expect(upstream.calls).toBe(1);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it.each([
    ['a truncated body', 'truncate', 'integrity_mismatch', sha256(payload(300_000))],
    ['an upstream error mid-body', 'error', 'upstream_unavailable', sha256(payload(300_000))],
    ['a digest mismatch', 'complete', 'integrity_mismatch', sha256(textBytes('something else'))],
  ] as const)('never caches %s, fails every waiting client, and retries on the next request', async (_case, ending, code, hex) => {
    const data = payload(300_000);
    const bad = gatedUpstream(data, ending);
    const clients = await Promise.all(Array.from({ length: 5 }, () => opened(cache, 'pkg/b.whl', { fetch: bad.fetch, expectedDigest: { algorithm: 'sha256', hex } })));
    bad.release();
    const outcomes = await Promise.all(clients.map((c) => drain(c.body)));
    for (const outcome of outcomes) {
      expect(outcome.error).toMatchObject({ code });
      expect(outcome.data.length).toBeLessThan(data.length); // never a complete-looking body
    }
    expect(bad.calls).toBe(1);
    expect(await store.head('pkg/b.whl')).toBeUndefined();
    expect(cache.inFlight()).toBe(0);

    const good = gatedUpstream(data);
    good.release();
    const retry = await opened(cache, 'pkg/b.whl', { fetch: good.fetch, expectedDigest: { algorithm: 'sha256', hex: sha256(data) } });
    expect(retry.source).toBe('upstream');
    expect(sameBytes((await drain(retry.body)).data, data)).toBe(true);
    expect((await store.head('pkg/b.whl'))?.size).toBe(data.length);
  });

  it('rejects every caller when the upstream refuses, and caches nothing', async () => {
    const fetchUpstream = jest.fn(async () => { throw new AppError('not_found', 'no such package upstream'); });
    const calls = Array.from({ length: 3 }, () => opened(cache, 'pkg/missing.tgz', { fetch: fetchUpstream }));
    for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'not_found' });
    expect(fetchUpstream).toHaveBeenCalledTimes(1);
    expect(await store.head('pkg/missing.tgz')).toBeUndefined();
    expect(cache.inFlight()).toBe(0);
  });

  it('keeps downloading for the others when one client goes away, and a stalled client holds nobody up', async () => {
    const data = payload(600_000);
    const upstream = gatedUpstream(data);
    const leaving = new AbortController();
    const [quitter, stalled, ...others] = await Promise.all(Array.from({ length: 4 }, (_, i) =>
      opened(cache, 'pkg/c.tgz', { fetch: upstream.fetch }, (i === 0 ? { signal: leaving.signal } : {}))));
    const quitterDone = drain(quitter!.body);
    leaving.abort();
    upstream.release();
    const bodies = await Promise.all(others.map((o) => drain(o.body)));
    expect((await quitterDone).error).toBeDefined();
    for (const body of bodies) expect(sameBytes(body.data, data)).toBe(true);
    expect(upstream.aborted).toBe(false);
    expect((await store.head('pkg/c.tgz'))?.size).toBe(data.length);
    expect(sameBytes((await drain(stalled!.body)).data, data)).toBe(true); // it can still finish later
  });
});
