import { Registry } from 'prom-client';
import request from 'supertest';
import { cacheRequestCounts } from '@registry/audit-http/testing';
import { makeWheel, type BuiltDistribution } from '@registry/pypi-testing';
import { createHttpMetrics, type HttpMetrics } from '@registry/shared-http-server';
import { startHarness, type TestHarness } from './testing/harness';

const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';
const alpha = makeWheel({ name: 'alpha', version: '1.0.0' });
const mine = makeWheel({ name: 'mine', version: '1.0.0' });
const FILE = `/files/alpha/${alpha.filename}`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** README "What an event means", as pypi-proxy records it (npm-proxy: the same rules, its own spec). */
describe('pypi-proxy audit facts and cache metrics (component)', () => {
  let metrics: HttpMetrics;
  let harness: TestHarness;

  beforeEach(async () => {
    metrics = createHttpMetrics('pypi_facts', new Registry());
    harness = await startHarness({ metrics, env: { PYPI_METADATA_TTL_MS: '0', PYPI_METADATA_STALE_WHILE_REVALIDATE_MS: '0' } });
    harness.upstream.setProject('alpha', [{ filename: alpha.filename, bytes: alpha.bytes }]);
    await harness.identity.createUser({ name: 'alice', password: 'alice-password-1' });
  });
  afterEach(() => harness.close());

  const upload = (dist: BuiltDistribution, authorization: string) => request(harness.app).post('/legacy/').set('Authorization', authorization)
    .field(':action', 'file_upload').field('protocol_version', '1').field('name', 'mine').field('version', '1.0.0')
    .field('filetype', 'bdist_wheel').field('pyversion', 'py3').field('metadata_version', '2.1').field('sha256_digest', dist.sha256)
    .attach('content', dist.bytes, { filename: dist.filename, contentType: 'application/octet-stream' });
  const downloads = () => harness.audit.events.filter((e) => e.action === 'download')
    .map((e) => [e.source, e.status_code, e.size, e.extra['method'] ?? null, e.extra['range'] ?? null, e.extra['origin'] ?? null]);

  it('records a HEAD with no bytes and extra.method, a range with the bytes sent and extra.range, a full GET whole', async () => {
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    await request(harness.app).get(FILE).expect(200);
    await request(harness.app).get(FILE).expect(200);
    await request(harness.app).head(FILE).expect(200);
    await request(harness.app).get(FILE).set('range', 'bytes=-64').expect(206);
    const size = alpha.bytes.length;
    expect(downloads()).toEqual([
      ['upstream', 200, size, null, null, null],
      ['cache', 200, size, null, null, null],
      ['cache', 200, 0, 'HEAD', null, null],
      ['cache', 206, 64, null, 'bytes=-64', null],
    ]);
  });

  it('marks the page and files of a project uploaded here with extra.origin=private', async () => {
    await upload(mine, basic('alice', 'alice-password-1')).expect(200);
    await request(harness.app).get('/simple/mine/').set('Accept', JSON_ACCEPT).expect(200);
    await request(harness.app).get(`/files/mine/${mine.filename}`).expect(200);
    await request(harness.app).get(`/files/mine/${mine.filename}.metadata`).expect(200);
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    const reads = harness.audit.events.filter((e) => e.action === 'metadata' || e.action === 'download').map((e) => [e.package, e.extra['origin'] ?? null]);
    expect(reads).toEqual([['mine', 'private'], ['mine', 'private'], ['mine', 'private'], ['alpha', null]]);
  });

  it('names the claimed user of a refused upload: a password\'s user, a fenced token\'s owner, nobody for an unknown token', async () => {
    const fenced = (await harness.identity.createToken('alice', { cidrWhitelist: ['192.0.2.0/24'] })).secret;
    await upload(mine, basic('carol', 'wrong-password')).expect(403);
    await upload(mine, basic('__token__', fenced)).expect(403);
    await upload(mine, basic('__token__', 'pypi-not-a-real-token')).expect(403);
    await request(harness.app).post('/legacy/').expect(401);
    expect(harness.audit.events.map((e) => [e.event_type, e.status_code, e.extra['user'] ?? null])).toEqual([
      ['pypi.package.upload', 403, 'carol'],
      ['pypi.package.upload', 403, 'alice'],
      ['pypi.package.upload', 403, null],
      ['pypi.package.upload', 401, null],
    ]);
    expect(JSON.stringify(harness.audit.events)).not.toMatch(/wrong-password|pypi-not-a-real-token|rg_/);
  });

  it('counts pypi_proxy_cache_requests_total: misses, then hits, stale while the upstream is down; private reads not at all', async () => {
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200); // miss
    await request(harness.app).get(FILE).expect(200); // miss
    await request(harness.app).get(FILE).expect(200); // hit
    expect(await cacheRequestCounts(metrics)).toEqual({ hit: 1, miss: 2, stale: 0 });
    harness.upstream.indexDown = true;
    const stale = await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    expect(stale.headers['x-registry-stale']).toBe('true');
    harness.upstream.indexDown = false;
    await upload(mine, basic('alice', 'alice-password-1')).expect(200);
    await request(harness.app).get('/simple/mine/').set('Accept', JSON_ACCEPT).expect(200);
    await request(harness.app).get(`/files/mine/${mine.filename}`).expect(200);
    expect(await cacheRequestCounts(metrics)).toEqual({ hit: 1, miss: 2, stale: 1 });
  });
});
