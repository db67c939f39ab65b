import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { buildTestApp, publishBody } from './testing/harness';

const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

describe('npm-proxy read side (component, fixture upstream)', () => {
  let upstream: FixtureRegistry;
  const tgz = { a1: randomBytes(500), a2: randomBytes(600), s1: randomBytes(300) };

  beforeAll(async () => {
    upstream = await startFixtureRegistry();
  });
  afterAll(() => upstream.close());
  beforeEach(() => {
    upstream.setPackage('left-pad', { '1.0.0': { tarball: tgz.a1, manifest: { scripts: { postinstall: 'x' } } }, '1.1.0': { tarball: tgz.a2 } });
    upstream.setPackage('@scope/widget', { '2.0.0': { tarball: tgz.s1 } });
    upstream.requests.length = 0;
  });

  const setup = async (env: Record<string, string> = {}) => {
    const store = new InMemoryBlobStore();
    const audit = new RecordingAuditClient();
    return { store, audit, app: await buildTestApp({ store, audit, upstreamUrl: upstream.url, env }) };
  };

  it('serves full and abbreviated documents with separate ETags, rewritten tarball URLs, 304 and gzip', async () => {
    const { app, audit } = await setup();
    const full = await request(app).get('/left-pad').set('host', 'proxy.test:8080').expect(200);
    expect(full.headers['content-type']).toMatch(/^application\/json/);
    expect(full.body.versions['1.0.0'].dist.tarball).toBe('http://proxy.test:8080/left-pad/-/left-pad-1.0.0.tgz');
    expect(full.body.time['1.0.0']).toBeDefined();
    const corgi = await request(app).get('/left-pad').set('accept', CORGI).set('host', 'proxy.test:8080').expect(200);
    expect(corgi.headers['content-type']).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    expect(corgi.body.versions['1.0.0'].hasInstallScript).toBe(true);
    expect(corgi.body.versions['1.0.0'].scripts).toBeUndefined();
    expect(corgi.headers['etag']).not.toBe(full.headers['etag']);
    expect(corgi.headers['vary']).toMatch(/Accept/);
    await request(app).get('/left-pad').set('accept', CORGI).set('host', 'proxy.test:8080').set('if-none-match', corgi.headers['etag'] as string).expect(304);
    await request(app).get('/left-pad').set('host', 'proxy.test:8080').set('if-none-match', corgi.headers['etag'] as string).expect(200);
    const gz = await request(app).get('/left-pad').set('accept-encoding', 'gzip').expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBeLessThan(Buffer.byteLength(JSON.stringify(full.body)));
    expect(gz.body.name).toBe('left-pad'); // superagent inflated it
    expect(upstream.requests.filter((r) => r === 'GET /left-pad')).toHaveLength(1);
    expect(audit.ofType('npm.package.metadata')[0]).toMatchObject({ package: 'left-pad', source: 'upstream', status_code: 200 });
  });

  it('honours NPM_PUBLIC_URL for tarball URLs', async () => {
    const { app } = await setup({ NPM_PUBLIC_URL: 'https://npm.example.test' });
    const res = await request(app).get('/left-pad/1.1.0').expect(200);
    expect(res.body.dist.tarball).toBe('https://npm.example.test/left-pad/-/left-pad-1.1.0.tgz');
    const latest = await request(app).get('/left-pad/latest').expect(200);
    expect(latest.body.version).toBe('1.1.0');
    await request(app).get('/left-pad/9.9.9').expect(404);
  });

  it('uses X-Forwarded-Proto/Host only when TRUST_PROXY is on', async () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.test', host: 'internal:8082' };
    const trusted = await buildTestApp({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient(), upstreamUrl: upstream.url, env: { TRUST_PROXY: 'loopback' } });
    expect((await request(trusted).get('/left-pad/1.1.0').set(headers).expect(200)).body.dist.tarball).toBe('https://public.test/left-pad/-/left-pad-1.1.0.tgz');
    const { app } = await setup();
    expect((await request(app).get('/left-pad/1.1.0').set(headers).expect(200)).body.dist.tarball).toBe('http://internal:8082/left-pad/-/left-pad-1.1.0.tgz');
  });

  it('requires credentials for reads when anonymous reads are off, and records every refusal', async () => {
    const { app, audit } = await setup({ NPM_ANONYMOUS_READ: 'false' });
    const denied = await request(app).get('/left-pad').expect(401);
    expect(denied.body.error).toMatch(/authentication required/);
    await request(app).get('/left-pad/-/left-pad-1.0.0.tgz').set('authorization', 'Bearer not-a-token').expect(401);
    expect(audit.ofType('npm.package.metadata')[0]).toMatchObject({ package: 'left-pad', status_code: 401 });
    expect(audit.ofType('npm.package.download')[0]).toMatchObject({ package: 'left-pad', filename: 'left-pad-1.0.0.tgz', status_code: 401 });
    const login = await request(app).put('/-/user/org.couchdb.user:reader').set('authorization', `Basic ${Buffer.from('reader:reader-password-1').toString('base64')}`)
      .send({ name: 'reader', password: 'reader-password-1' }).expect(201);
    const res = await request(app).get('/left-pad').set('authorization', `Bearer ${login.body.token}`).expect(200);
    expect(res.headers['cache-control']).toMatch(/^private/);
  });

  it.each(['/@scope%2fwidget', '/@scope%2Fwidget', '/@scope/widget', '/%40scope%2Fwidget', '//@scope%2fwidget'])('accepts the scoped encoding %s', async (path) => {
    const { app } = await setup();
    const res = await request(app).get(path).expect(200);
    expect(res.body.name).toBe('@scope/widget');
    expect(res.body.versions['2.0.0'].dist.tarball).toMatch(/\/@scope\/widget\/-\/widget-2\.0\.0\.tgz$/);
  });

  it('fetches a tarball once, verifies it, then serves it from the cache with HEAD and Range', async () => {
    const { app, audit } = await setup();
    const first = await request(app).get('/@scope/widget/-/widget-2.0.0.tgz').expect(200);
    expect(Buffer.compare(first.body as Buffer, tgz.s1)).toBe(0);
    expect(first.headers['content-encoding']).toBeUndefined();
    const berry = await request(app).get('/@scope%2fwidget/-/widget-2.0.0.tgz').expect(200);
    expect(Buffer.compare(berry.body as Buffer, tgz.s1)).toBe(0);
    const head = await request(app).head('/@scope/widget/-/widget-2.0.0.tgz').expect(200);
    expect(head.headers['content-length']).toBe(String(tgz.s1.length));
    const range = await request(app).get('/@scope/widget/-/widget-2.0.0.tgz').set('range', 'bytes=10-19').expect(206);
    expect(Buffer.compare(range.body as Buffer, tgz.s1.subarray(10, 20))).toBe(0);
    expect(upstream.requests.filter((r) => r.endsWith('.tgz'))).toHaveLength(1);
    expect(audit.ofType('npm.package.download.upstream')).toHaveLength(1);
    expect(audit.ofType('npm.package.download')[0]).toMatchObject({ source: 'cache', package: '@scope/widget', version: '2.0.0', filename: 'widget-2.0.0.tgz' });
  });

  it('coalesces concurrent misses into one upstream fetch', async () => {
    const { app } = await setup();
    await request(app).get('/left-pad').expect(200);
    const all = await Promise.all(Array.from({ length: 8 }, () => request(app).get('/left-pad/-/left-pad-1.1.0.tgz')));
    for (const res of all) expect(Buffer.compare(res.body as Buffer, tgz.a2)).toBe(0);
    expect(upstream.requests.filter((r) => r.endsWith('left-pad-1.1.0.tgz'))).toHaveLength(1);
  });

  it('never caches a corrupt upstream tarball', async () => {
    const { app, store } = await setup();
    upstream.corruptTarball('left-pad', '1.0.0');
    // The body streams while it downloads; a digest mismatch at the end cuts the connection, never ends it cleanly.
    for (let attempt = 0; attempt < 2; attempt++) {
      const outcome = await request(app).get('/left-pad/-/left-pad-1.0.0.tgz').then((r) => r.status, (err: Error) => err.message);
      expect(outcome === 'aborted' || (typeof outcome === 'number' && outcome >= 500)).toBe(true);
    }
    expect(upstream.requests.filter((r) => r.endsWith('left-pad-1.0.0.tgz'))).toHaveLength(2);
    const keys: string[] = [];
    for await (const key of store.list('npm/cache/')) keys.push(key);
    expect(keys).toEqual([]);
  });

  it('fetches upstream tarball URLs on other hosts from the configured upstream at the same path (SSRF; a moved upstream)', async () => {
    const { app } = await setup();
    upstream.setTarballUrl('left-pad', '1.0.0', 'http://old-upstream.invalid:4873/left-pad/-/left-pad-1.0.0.tgz');
    await request(app).get('/left-pad/-/left-pad-1.0.0.tgz').expect(200);
    expect(upstream.requests).toContain('GET /left-pad/-/left-pad-1.0.0.tgz');
  });

  it('never contacts the host an upstream document names for a tarball (SSRF)', async () => {
    const { app } = await setup();
    upstream.setTarballUrl('left-pad', '1.0.0', 'http://169.254.169.254/latest/meta-data.tgz');
    await request(app).get('/left-pad/-/left-pad-1.0.0.tgz').expect(404);
    expect(upstream.requests).toContain('GET /latest/meta-data.tgz'); // asked of the configured upstream instead
  });

  it('revalidates after the TTL, drops versions removed upstream, and serves stale when the upstream is down', async () => {
    const { app } = await setup({ NPM_METADATA_TTL_MS: '0', NPM_METADATA_STALE_WHILE_REVALIDATE_MS: '0' });
    await request(app).get('/left-pad').expect(200);
    upstream.removeVersion('left-pad', '1.0.0');
    const after = await request(app).get('/left-pad').expect(200);
    expect(Object.keys(after.body.versions)).toEqual(['1.1.0']);
    await request(app).get('/left-pad/-/left-pad-1.0.0.tgz').expect(404);
    upstream.setDown(true);
    try {
      const stale = await request(app).get('/left-pad').expect(200);
      expect(Object.keys(stale.body.versions)).toEqual(['1.1.0']);
      await request(app).get('/never-seen').expect(502);
    } finally {
      upstream.setDown(false);
    }
  });

  it('caches upstream 404s briefly and never asks upstream for private scopes', async () => {
    const { app } = await setup();
    await request(app).get('/nope').expect(404);
    await request(app).get('/nope').expect(404);
    expect(upstream.requests.filter((r) => r === 'GET /nope')).toHaveLength(1);
    await request(app).get('/@private/thing').expect(404);
    expect(upstream.requests.some((r) => r.includes('@private'))).toBe(false);
  });

  it('answers ping, search (local + upstream shape) and forwards audit', async () => {
    const { app, audit } = await setup();
    await request(app).get('/-/ping').expect(200, {});
    const search = await request(app).get('/-/v1/search?text=left&size=5').expect(200);
    expect(search.body.objects[0].package.name).toBe('left-pad');
    expect(Array.isArray(search.body.objects[0].package.maintainers)).toBe(true);
    expect(audit.ofType('npm.search')[0]).toMatchObject({ status_code: 200 });
    await request(app).post('/-/npm/v1/security/advisories/bulk').send({ 'left-pad': ['1.0.0'] }).expect(200, {});
  });

  it('pages a search across the private matches and then the upstream ones', async () => {
    const { app } = await setup();
    const signup = await request(app).put('/-/user/org.couchdb.user:alice').send({ name: 'alice', password: 'correct-horse-battery' }).expect(201);
    await request(app).put('/left-mine').set('authorization', `Bearer ${signup.body.token as string}`).send(publishBody('left-mine', '1.0.0', randomBytes(30))).expect(201);
    const page = async (query: string) => {
      const body = (await request(app).get(`/-/v1/search?text=left&${query}`).expect(200)).body as { objects: Array<{ package: { name: string } }>; total: number };
      return { names: body.objects.map((o) => o.package.name), total: body.total };
    };
    expect(await page('size=2')).toEqual({ names: ['left-mine', 'left-pad'], total: 2 });
    expect(await page('from=1&size=1')).toEqual({ names: ['left-pad'], total: 2 });
    expect(await page('from=0&size=1')).toEqual({ names: ['left-mine'], total: 2 });
  });

  it('passes an upstream 405 on with its Allow header', async () => {
    const { app } = await setup();
    await request(app).get('/left-pad').expect(200);
    upstream.refuseLegacyAudits = true;
    const res = await request(app).post('/-/npm/v1/security/audits/quick').send({ name: 'x', version: '1.0.0', requires: { 'left-pad': '1.0.0' }, dependencies: { 'left-pad': { version: '1.0.0' } } });
    upstream.refuseLegacyAudits = false;
    expect([res.status, res.headers['allow']]).toEqual([405, 'GET']);
  });

  it('answers a failed upstream search with 502 and Retry-After, never an empty success', async () => {
    const { app } = await setup();
    upstream.setDown(true);
    const res = await request(app).get('/-/v1/search?text=left&size=5').expect(502);
    expect(res.body.error).toMatch(/upstream search failed/);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('gives a clear 502 when the audit upstream is unreachable', async () => {
    const down = await startFixtureRegistry();
    down.setPackage('a', { '1.0.0': { tarball: tgz.a1 } });
    const app = await buildTestApp({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient(), upstreamUrl: down.url });
    // Only packages the upstream is known to serve are named to it: this one was fetched once.
    await request(app).get('/a').expect(200);
    await down.close();
    const res = await request(app).post('/-/npm/v1/security/advisories/bulk').send({ a: ['1.0.0'] }).expect(502);
    expect(res.body.error).toMatch(/audit service of the upstream registry is unreachable/);
  });
});
