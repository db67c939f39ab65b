import { randomBytes } from 'node:crypto';
import { Registry } from 'prom-client';
import request from 'supertest';
import { cacheRequestCounts } from '@registry/audit-http/testing';
import { createHttpMetrics, type HttpMetrics } from '@registry/shared-http-server';
import { publishBody, startHarness, type TestHarness } from './testing/harness';

const TARBALL = '/left-pad/-/left-pad-1.0.0.tgz';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** README "What an event means", as npm-proxy records it (pypi-proxy: the same rules, its own spec). */
describe('npm-proxy audit facts and cache metrics (component)', () => {
  let metrics: HttpMetrics;
  let harness: TestHarness;
  const tgz = randomBytes(1000);

  beforeEach(async () => {
    metrics = createHttpMetrics('npm_facts', new Registry());
    harness = await startHarness({ metrics, env: { NPM_METADATA_TTL_MS: '0', NPM_METADATA_STALE_WHILE_REVALIDATE_MS: '0' } });
    harness.upstream.setPackage('left-pad', { '1.0.0': { tarball: tgz } });
  });
  afterEach(() => harness.close());

  const login = async (name: string) =>
    (await request(harness.app).put(`/-/user/org.couchdb.user:${name}`).send({ name, password: `${name}-password-1` }).expect(201)).body.token as string;
  const downloads = () => harness.audit.events.filter((e) => e.action === 'download')
    .map((e) => [e.source, e.status_code, e.size, e.extra['method'] ?? null, e.extra['range'] ?? null, e.extra['origin'] ?? null]);

  it('records a HEAD with no bytes and extra.method, a range with the bytes sent and extra.range, a full GET whole', async () => {
    await request(harness.app).get(TARBALL).expect(200);
    await request(harness.app).get(TARBALL).expect(200);
    const head = await request(harness.app).head(TARBALL).expect(200);
    expect(head.headers['content-length']).toBe(String(tgz.length));
    await request(harness.app).get(TARBALL).set('range', 'bytes=-64').expect(206);
    expect(downloads()).toEqual([
      ['upstream', 200, 1000, null, null, null],
      ['cache', 200, 1000, null, null, null],
      ['cache', 200, 0, 'HEAD', null, null],
      ['cache', 206, 64, null, 'bytes=-64', null],
    ]);
  });

  it('marks the metadata and downloads of a package published here with extra.origin=private', async () => {
    const token = await login('alice');
    const body = publishBody('@corp/kit', '1.0.0', randomBytes(300));
    await request(harness.app).put('/@corp%2fkit').set('authorization', `Bearer ${token}`).send(body).expect(201);
    await request(harness.app).get('/@corp%2fkit').expect(200);
    await request(harness.app).get('/@corp/kit/-/kit-1.0.0.tgz').expect(200);
    await request(harness.app).get('/left-pad').expect(200);
    const reads = harness.audit.events.filter((e) => e.action === 'metadata' || e.action === 'download').map((e) => [e.package, e.extra['origin'] ?? null]);
    expect(reads).toEqual([['@corp/kit', 'private'], ['@corp/kit', 'private'], ['left-pad', null]]);
  });

  it('names the claimed user on failed logins and refused tokens, nobody for an unknown token, and no one for the web-login probe', async () => {
    const token = await login('alice');
    const readOnly = (await request(harness.app).post('/-/npm/v1/tokens').set('authorization', `Bearer ${token}`).send({ password: 'alice-password-1', readonly: true }).expect(200)).body.token as string;
    harness.audit.clear();
    await request(harness.app).post('/-/v1/login').send({}).expect(404);
    await request(harness.app).put('/-/user/org.couchdb.user:alice').send({ name: 'alice', password: 'wrong-password' }).expect(401);
    await request(harness.app).get('/-/whoami').set('authorization', basic('bob', 'not-his-password')).expect(401);
    await request(harness.app).put('/ro-pkg').set('authorization', `Bearer ${readOnly}`).send(publishBody('ro-pkg', '1.0.0', randomBytes(10))).expect(403);
    await request(harness.app).put('/ro-pkg').set('authorization', 'Bearer rg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').send(publishBody('ro-pkg', '1.0.0', randomBytes(10))).expect(401);
    await request(harness.app).put('/-/user/org.couchdb.user:%3Cscript%3E').send({ name: '<script>', password: 'whatever-1' }).expect(400);
    expect(harness.audit.events.map((e) => [e.event_type, e.status_code, e.extra['user'] ?? null])).toEqual([
      ['npm.user.login', 404, null],
      ['npm.user.login', 401, 'alice'],
      ['npm.user.login', 401, 'bob'],
      ['npm.package.publish', 403, 'alice'],
      ['npm.package.publish', 401, null],
      ['npm.user.login', 400, '(invalid name)'],
    ]);
    expect(JSON.stringify(harness.audit.events)).not.toMatch(/wrong-password|not-his-password|rg_/);
  });

  it('counts npm_proxy_cache_requests_total: a miss, then hits, stale while the upstream is down; private reads not at all', async () => {
    await request(harness.app).get('/left-pad').expect(200); // miss
    await request(harness.app).get(TARBALL).expect(200); // miss
    await request(harness.app).get(TARBALL).expect(200); // hit
    expect(await cacheRequestCounts(metrics)).toEqual({ hit: 1, miss: 2, stale: 0 });
    harness.upstream.setDown(true);
    const stale = await request(harness.app).get('/left-pad').expect(200);
    expect(stale.body.name).toBe('left-pad');
    expect(harness.audit.events.at(-1)?.extra['stale']).toBe('true');
    await request(harness.app).get('/never-seen').expect(502);
    const token = await login('carol');
    await request(harness.app).put('/@private%2fown').set('authorization', `Bearer ${token}`).send(publishBody('@private/own', '1.0.0', randomBytes(50))).expect(201);
    await request(harness.app).get('/@private%2fown').expect(200);
    await request(harness.app).get('/@private/own/-/own-1.0.0.tgz').expect(200);
    expect(await cacheRequestCounts(metrics)).toEqual({ hit: 1, miss: 2, stale: 1 });
  });
});
