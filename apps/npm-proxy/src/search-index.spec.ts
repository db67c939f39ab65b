import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { asSeparateInstance, InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { buildTestApp, publishBody } from './testing/harness';

/** Counts the documents and blobs read, and the listings made (the cost of a search), and the index bytes written. */
class ReadCountingStore extends InMemoryBlobStore {
  reads = 0;
  indexBytesWritten = 0;
  override putDocument(...args: Parameters<InMemoryBlobStore['putDocument']>) {
    if (args[0].startsWith('npm/search-index/')) this.indexBytesWritten += args[1].length;
    return super.putDocument(...args);
  }
  override getDocument(...args: Parameters<InMemoryBlobStore['getDocument']>) { this.reads++; return super.getDocument(...args); }
  override get(...args: Parameters<InMemoryBlobStore['get']>) { this.reads++; return super.get(...args); }
  override list(...args: Parameters<InMemoryBlobStore['list']>) { this.reads++; return super.list(...args); }
}

/** `npm search` reads an index of private package summaries, not every package. */
describe('npm-proxy search over private packages', () => {
  let store: ReadCountingStore;
  let app: Express;
  let auth: { authorization: string };
  const names = (res: request.Response) => res.body.objects.map((o: { package: { name: string } }) => o.package.name);
  const search = (text: string) => request(app).get(`/-/v1/search?text=${encodeURIComponent(text)}&size=250`).expect(200);
  const publish = (target: Express, name: string, version = '1.0.0', extra: Record<string, unknown> = {}) =>
    request(target).put(`/${encodeURIComponent(name)}`).set(auth).send(publishBody(name, version, randomBytes(30), extra)).expect(201);

  beforeEach(async () => {
    store = new ReadCountingStore();
    app = await buildTestApp({ store, audit: new RecordingAuditClient(), env: { NPM_PRIVATE_RECHECK_MS: '0' } });
    const res = await request(app).put('/-/user/org.couchdb.user:alice').send({ name: 'alice', password: 'correct-horse-battery' }).expect(201);
    auth = { authorization: `Bearer ${res.body.token as string}` };
  });

  it('costs the same number of store reads with 3 packages as with 30', async () => {
    const readsOfOneSearch = async () => { const before = store.reads; await search('pkg'); return store.reads - before; };
    for (let i = 0; i < 3; i++) await publish(app, `pkg-${i}`);
    await search('pkg');
    const withThree = await readsOfOneSearch();
    for (let i = 3; i < 30; i++) await publish(app, `pkg-${i}`);
    await search('pkg');
    const withThirty = await readsOfOneSearch();
    expect(withThirty).toBe(withThree);
    expect(withThirty).toBeLessThanOrEqual(1);
    expect(names(await search('pkg'))).toHaveLength(30);
  });

  it('rewrites a part of the index per publish, not the whole index', async () => {
    for (let i = 0; i < 60; i++) await publish(app, `many-${i}`, '1.0.0', { description: `package number ${i} of many` });
    const indexBytes = async () => { let total = 0; for await (const key of store.list('npm/search-index/')) total += (await store.getDocument(key))!.body.length; return total; };
    const before = store.indexBytesWritten;
    await publish(app, 'one-more', '1.0.0', { description: 'the sixty-first' });
    const written = store.indexBytesWritten - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan((await indexBytes()) / 4);
    expect(names(await search('sixty-first'))).toEqual(['one-more']);
  });

  it('follows publishes, deprecations, tag moves and unpublishes, also those of another instance', async () => {
    await publish(app, 'alpha', '1.0.0', { description: 'first letter', keywords: ['greek'] });
    await publish(app, 'beta', '1.0.0', { description: 'second letter' });
    expect(names(await search('letter'))).toEqual(['alpha', 'beta']);
    expect(names(await search('greek'))).toEqual(['alpha']);
    const other = await buildTestApp({ store: asSeparateInstance(store) as InMemoryBlobStore, audit: new RecordingAuditClient(), env: { NPM_PRIVATE_RECHECK_MS: '0' } });
    await publish(other, 'gamma', '1.0.0', { description: 'third letter' });
    await publish(other, 'alpha', '2.0.0', { description: 'renamed', keywords: [] });
    expect(names(await search('letter'))).toEqual(['beta', 'gamma']);
    const hit = (await search('renamed')).body.objects[0].package;
    expect(hit).toMatchObject({ name: 'alpha', version: '2.0.0', description: 'renamed', maintainers: [{ username: 'alice', email: '' }] });
    await request(app).put('/-/package/alpha/dist-tags/latest').set({ 'content-type': 'application/json', ...auth }).send('"1.0.0"').expect(201);
    expect(names(await search('greek'))).toEqual(['alpha']);
    const doc = (await request(app).get('/beta?write=true').expect(200)).body;
    await request(app).delete(`/beta/-rev/${doc._rev}`).set(auth).expect(200);
    // alpha's latest is 1.0.0 again, whose description says "letter".
    expect(names(await search('letter'))).toEqual(['alpha', 'gamma']);
  });

  it('builds the index from the stored packages when a store has none (written before it existed)', async () => {
    await publish(app, 'old-one', '1.0.0');
    await publish(app, 'old-two', '1.0.0');
    for await (const key of store.list('npm/search-index/')) await store.delete(key);
    const fresh = await buildTestApp({ store, audit: new RecordingAuditClient() });
    expect(names(await request(fresh).get('/-/v1/search?text=old').expect(200))).toEqual(['old-one', 'old-two']);
    await publish(app, 'old-three', '1.0.0');
    expect(names(await search('old'))).toEqual(['old-one', 'old-three', 'old-two']);
  });

  it('pages through the matches in name order (from, size) and counts them all in total', async () => {
    for (const name of ['page-d', 'page-b', 'page-e', 'page-a', 'page-c']) await publish(app, name);
    await publish(app, 'other');
    const page = (await request(app).get('/-/v1/search?text=page&from=1&size=2').expect(200)).body;
    expect(names({ body: page } as request.Response)).toEqual(['page-b', 'page-c']);
    expect(page.total).toBe(5);
    const last = (await request(app).get('/-/v1/search?text=page&from=4&size=20').expect(200)).body;
    expect(names({ body: last } as request.Response)).toEqual(['page-e']);
    expect(names(await request(app).get('/-/v1/search?text=page&from=9&size=2').expect(200))).toEqual([]);
  });

  it('answers a page beyond the first 250 matches, before and after the same query is remembered', async () => {
    const count = 262;
    for (let i = 0; i < count; i++) await publish(app, `deep-${String(i).padStart(3, '0')}`);
    const page = (from: number, size: number) => request(app).get(`/-/v1/search?text=deep&from=${from}&size=${size}`).expect(200);
    expect((await page(0, 250)).body.total).toBe(count);
    const deep = (await page(245, 20)).body;
    expect(names({ body: deep } as request.Response)).toEqual(Array.from({ length: count - 245 }, (_, i) => `deep-${String(245 + i).padStart(3, '0')}`));
    expect(deep.total).toBe(count);
    await publish(app, 'deep-999');
    const after = (await page(250, 250)).body;
    expect(after.total).toBe(count + 1);
    expect(names({ body: after } as request.Response).at(-1)).toBe('deep-999');
  });
});
