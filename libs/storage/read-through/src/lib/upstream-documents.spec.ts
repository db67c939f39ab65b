import { AppError } from '@registry/shared-errors';
import { silentLogger, type Logger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { UpstreamDocumentCache, type UpstreamDocumentSource, type UpstreamFetch } from './upstream-documents';
import { verbatimJson } from './verbatim-document';

/** An upstream of `{ name, rev }` documents with ETags; `down` makes every request fail. */
function fakeUpstream() {
  const docs = new Map<string, number>();
  const requests: Array<{ name: string; etag: string | undefined }> = [];
  let down = false;
  const source: UpstreamDocumentSource<{ name: string; rev: number }> = {
    storageKey: (name) => `docs/${name}.json`,
    async fetch(name, etag): Promise<UpstreamFetch> {
      requests.push({ name, etag });
      await new Promise((resolve) => setImmediate(resolve));
      if (down) throw new AppError('upstream_unavailable', 'upstream down');
      const rev = docs.get(name);
      if (rev === undefined) return { kind: 'not_found' };
      if (etag === `"${rev}"`) return { kind: 'not_modified' };
      return { kind: 'ok', body: Buffer.from(JSON.stringify({ name, rev })), etag: `"${rev}"` };
    },
    parse: (_name, fetched) => JSON.parse(fetched.body.toString()) as { name: string; rev: number },
  };
  return { source, docs, requests, setDown: (d: boolean) => { down = d; } };
}

describe('UpstreamDocumentCache', () => {
  let clock: number;
  let store: InMemoryBlobStore;
  let upstream: ReturnType<typeof fakeUpstream>;
  const make = (over: { maxBytes?: number } = {}) => new UpstreamDocumentCache({
    source: upstream.source, store, logger: silentLogger, ttlMs: 1000, notFoundTtlMs: 500, maxBytes: over.maxBytes ?? 1_000_000,
    clock: { now: () => clock },
  });

  beforeEach(() => {
    clock = 0;
    store = new InMemoryBlobStore();
    upstream = fakeUpstream();
    upstream.docs.set('a', 1);
  });

  it('says whether the upstream is known to have a document without asking it: memory, then the store, and no 404 since', async () => {
    const cache = make();
    expect(await cache.isKnown('a')).toBe(false);
    await cache.get('a');
    expect(await cache.isKnown('a')).toBe(true);
    expect(await make().isKnown('a')).toBe(true); // a new instance finds the persisted copy
    await cache.get('missing');
    expect(await cache.isKnown('missing')).toBe(false);
    expect(upstream.requests.map((r) => r.name)).toEqual(['a', 'missing']);
  });

  it('fetches once for a burst, serves from memory within the TTL, then revalidates with the ETag', async () => {
    const cache = make();
    const burst = await Promise.all(Array.from({ length: 10 }, () => cache.get('a')));
    expect(upstream.requests).toEqual([{ name: 'a', etag: undefined }]);
    expect(burst.every((l) => l.source === 'upstream' && l.document?.doc.rev === 1)).toBe(true);
    clock = 999;
    expect(await cache.get('a')).toMatchObject({ source: 'cache', stale: false });
    clock = 1000;
    const revalidated = await cache.get('a');
    expect(upstream.requests[1]).toEqual({ name: 'a', etag: '"1"' });
    expect(revalidated.document?.stamp).toBe(burst[0]!.document?.stamp);
    upstream.docs.set('a', 2);
    clock = 2000;
    const changed = await cache.get('a');
    expect(changed.document?.doc.rev).toBe(2);
    expect(changed.document?.stamp).not.toBe(burst[0]!.document?.stamp);
  });

  it('serves the last good copy when the upstream fails, and waits before asking again', async () => {
    const cache = make();
    await cache.get('a');
    upstream.setDown(true);
    clock = 1000;
    expect(await cache.get('a')).toMatchObject({ source: 'cache', stale: true, document: { doc: { rev: 1 } } });
    const asked = upstream.requests.length;
    clock = 1500;
    expect(await cache.get('a')).toMatchObject({ stale: true });
    expect(upstream.requests).toHaveLength(asked);
    await expect(cache.get('never-seen')).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('keeps a persisted copy: a new instance (a restart) serves it while the upstream is down', async () => {
    await make().get('a');
    upstream.setDown(true);
    clock = 5000;
    const restarted = make();
    expect(await restarted.get('a')).toMatchObject({ stale: true, document: { doc: { rev: 1 } } });
  });

  it('believes a 404 for notFoundTtlMs and forgets the persisted copy of a document that went away', async () => {
    const cache = make();
    await cache.get('a');
    upstream.docs.delete('a');
    clock = 1000;
    expect((await cache.get('a')).document).toBeUndefined();
    expect(await store.getDocument('docs/a.json')).toBeUndefined();
    const asked = upstream.requests.length;
    clock = 1400;
    expect(await cache.get('a')).toEqual({ document: undefined, source: 'cache', stale: false });
    expect(upstream.requests).toHaveLength(asked);
  });

  it('bounds the memory it holds by bytes', async () => {
    const cache = make({ maxBytes: 64 });
    for (const name of ['a', 'b', 'c']) upstream.docs.set(name, 1);
    for (const name of ['a', 'b', 'c']) await cache.get(name);
    await store.delete('docs/a.json');
    const before = upstream.requests.length;
    await cache.get('a');
    expect(upstream.requests.length).toBe(before + 1); // evicted from memory, and its persisted copy is gone
  });

  it('asks the health port before every request and answers from the copy at once while it refuses', async () => {
    let allowed = true;
    const cache = new UpstreamDocumentCache({
      source: upstream.source, store, logger: silentLogger, ttlMs: 1000, notFoundTtlMs: 500, maxBytes: 1_000_000, clock: { now: () => clock },
      staleWhileRevalidateMs: 5000, health: { allowsRequest: () => allowed },
    });
    await cache.get('a');
    allowed = false;
    clock = 1000; // within the stale-while-revalidate window
    expect(await cache.get('a')).toMatchObject({ stale: true, source: 'cache' });
    clock = 100_000; // beyond it
    expect(await cache.get('a')).toMatchObject({ stale: true, source: 'cache' });
    await cache.idle();
    expect(upstream.requests).toHaveLength(1);
    await expect(cache.get('uncached')).resolves.toMatchObject({ source: 'upstream' }); // without a copy it still asks
  });

  it('serves a copy past its TTL at once and revalidates it in the background (stale-while-revalidate)', async () => {
    const cache = new UpstreamDocumentCache({
      source: upstream.source, store, logger: silentLogger, ttlMs: 1000, notFoundTtlMs: 500, maxBytes: 1_000_000, clock: { now: () => clock },
      staleWhileRevalidateMs: 5000,
    });
    await cache.get('a');
    upstream.docs.set('a', 2);
    clock = 1500;
    const burst = await Promise.all([cache.get('a'), cache.get('a')]);
    expect(burst.map((l) => [l.document?.doc.rev, l.stale, l.source])).toEqual([[1, false, 'cache'], [1, false, 'cache']]);
    await cache.idle();
    expect(upstream.requests).toEqual([{ name: 'a', etag: undefined }, { name: 'a', etag: '"1"' }]);
    expect((await cache.get('a')).document?.doc.rev).toBe(2);
    // A copy found only in the store (after a restart) is served at once, too.
    upstream.docs.set('a', 3);
    clock = 3000;
    const restarted = new UpstreamDocumentCache({
      source: upstream.source, store, logger: silentLogger, ttlMs: 1000, notFoundTtlMs: 500, maxBytes: 1_000_000, clock: { now: () => clock },
      staleWhileRevalidateMs: 5000,
    });
    expect((await restarted.get('a')).document?.doc.rev).toBe(2);
    await restarted.idle();
    expect((await restarted.get('a')).document?.doc.rev).toBe(3);
    // Past the window the client waits for the revalidation.
    upstream.docs.set('a', 4);
    clock = 20_000;
    expect((await restarted.get('a')).document?.doc.rev).toBe(4);
  });
  it('an unreachable upstream is not a warning per document (its health transition says it once); an unusable answer is', async () => {
    const warnings: string[] = [];
    const logger = Object.assign(Object.create(silentLogger) as Logger, { warn: (_obj: unknown, msg?: string) => { warnings.push(msg ?? ''); } });
    const cache = new UpstreamDocumentCache({
      source: upstream.source, store, logger, ttlMs: 1000, notFoundTtlMs: 500, maxBytes: 1_000_000, clock: { now: () => clock }, retryAfterMs: 1,
    });
    for (const name of ['a', 'b', 'c']) upstream.docs.set(name, 1);
    for (const name of ['a', 'b', 'c']) await cache.get(name);
    upstream.setDown(true);
    for (let i = 0; i < 5; i++) {
      clock += 2000;
      for (const name of ['a', 'b', 'c']) expect(await cache.get(name)).toMatchObject({ stale: true });
    }
    expect(warnings).toEqual([]);
    upstream.setDown(false);
    upstream.docs.set('a', 2);
    const broken = new UpstreamDocumentCache({
      source: { ...upstream.source, parse: () => { throw new Error('not a document'); } }, store, logger, ttlMs: 1000, notFoundTtlMs: 500, maxBytes: 1_000_000,
      clock: { now: () => clock },
    });
    clock += 2000;
    expect(await broken.get('a')).toMatchObject({ stale: true });
    expect(warnings).toEqual(['upstream revalidation failed; serving the last good copy (stale-if-error)']);
  });
});

describe('verbatimJson', () => {
  const ok = (body: Buffer) => ({ kind: 'ok' as const, body, etag: undefined, contentType: 'application/json' });
  it('keeps the exact text of a well-formed document and refuses anything else', () => {
    const text = '{ "b": 1,\n  "a": [ ] }\n';
    expect(verbatimJson(ok(Buffer.from(text)), () => true, 'x')).toEqual({ text, contentType: 'application/json' });
    expect(() => verbatimJson(ok(Buffer.from('{"a"')), () => true, 'x')).toThrow(/not JSON/);
    expect(() => verbatimJson(ok(Buffer.from([0x22, 0xff, 0x22])), () => true, 'x')).toThrow(/not UTF-8/);
    expect(() => verbatimJson(ok(Buffer.from('[]')), (v) => !Array.isArray(v), 'x')).toThrow(/wrong shape/);
  });

});
