import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { asSeparateInstance } from '@registry/storage-blob-store/testing';
import { publishBody, startHarness, type TestHarness } from './testing/harness';

async function login(app: Express, name: string, password = 'correct-horse-battery'): Promise<string> {
  const res = await request(app).put(`/-/user/org.couchdb.user:${name}`).send({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [] }).expect(201);
  expect(res.body).toMatchObject({ ok: true, id: `org.couchdb.user:${name}` });
  return res.body.token as string;
}

describe('npm-proxy write side (component)', () => {
  let harness: TestHarness;
  let token: string;

  beforeEach(async () => {
    harness = await startHarness({ env: { NPM_PUBLISH_RULES: '@locked/*:admin' } });
    harness.upstream.setPackage('taken-upstream', { '9.0.0': { tarball: randomBytes(100) } });
    token = await login(harness.app, 'alice');
  });
  afterEach(() => harness.close());

  it('logs in (create, then login, wrong password 401), whoami, tokens, logout', async () => {
    expect(await login(harness.app, 'alice')).not.toBe(token);
    await request(harness.app).put('/-/user/org.couchdb.user:alice').send({ name: 'alice', password: 'wrong-password-1' }).expect(401);
    await request(harness.app).post('/-/v1/login').send({}).expect(404);
    const who = await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${token}`).expect(200);
    expect(who.body).toEqual({ username: 'alice' });
    await request(harness.app).get('/-/whoami').expect(401);
    const created = await request(harness.app).post('/-/npm/v1/tokens').set('authorization', `Bearer ${token}`).send({ password: 'correct-horse-battery', readonly: true }).expect(200);
    await request(harness.app).post('/-/npm/v1/tokens').set('authorization', `Bearer ${token}`).send({ password: 'nope-nope-nope' }).expect(401);
    const list = await request(harness.app).get('/-/npm/v1/tokens').set('authorization', `Bearer ${token}`).expect(200);
    expect(list.body.urls).toEqual({});
    expect(list.body.objects.map((t: { key: string }) => t.key)).toContain(created.body.key);
    await request(harness.app).put('/ro-pkg').set('authorization', `Bearer ${created.body.token}`).send(publishBody('ro-pkg', '1.0.0', randomBytes(10))).expect(403);
    await request(harness.app).delete(`/-/npm/v1/tokens/token/${created.body.key}`).set('authorization', `Bearer ${token}`).expect(204);
    await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${created.body.token}`).expect(401);
    await request(harness.app).delete(`/-/user/token/${token}`).expect(200);
    await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${token}`).expect(401);
    const statuses = harness.audit.ofType('npm.user.login').map((e) => e.status_code);
    expect(statuses).toEqual(expect.arrayContaining([201, 401, 404, 200, 204]));
  });

  it('publishes, serves, refuses republish with npm\'s message, and keeps nothing from a bad publish', async () => {
    const tarball = randomBytes(2000);
    await request(harness.app).put('/@acme%2fwidget').send(publishBody('@acme/widget', '1.0.0', tarball)).expect(401);
    const bad = publishBody('@acme/widget', '1.0.0', tarball);
    ((bad['_attachments'] as Record<string, { length: number }>)['@acme/widget-1.0.0.tgz'] as { length: number }).length = 5;
    await request(harness.app).put('/@acme%2fwidget').set('authorization', `Bearer ${token}`).send(bad).expect(400);
    await request(harness.app).get('/@acme/widget').expect(404);
    await request(harness.app).put('/@acme%2fwidget').set('authorization', `Bearer ${token}`).send(publishBody('@acme/widget', '1.0.0', tarball)).expect(201);
    const doc = await request(harness.app).get('/@acme%2fwidget').set('host', 'reg.test').expect(200);
    expect(doc.body._rev).toMatch(/^1-/);
    expect(doc.body.versions['1.0.0'].dist.tarball).toBe('http://reg.test/@acme/widget/-/widget-1.0.0.tgz');
    expect(doc.body.versions['1.0.0']._npmUser.name).toBe('alice');
    expect(doc.body.maintainers).toEqual([{ name: 'alice' }]);
    const dl = await request(harness.app).get('/@acme/widget/-/widget-1.0.0.tgz').expect(200);
    expect(Buffer.compare(dl.body as Buffer, tarball)).toBe(0);
    const again = await request(harness.app).put('/@acme%2fwidget').set('authorization', `Bearer ${token}`).send(publishBody('@acme/widget', '1.0.0', randomBytes(10))).expect(403);
    expect(again.body.error).toBe('You cannot publish over the previously published versions: 1.0.0.');
    expect(harness.audit.ofType('npm.package.publish').map((e) => e.status_code)).toEqual([401, 400, 201, 403]);
    expect(harness.audit.ofType('npm.package.publish')[2]).toMatchObject({ package: '@acme/widget', version: '1.0.0', filename: 'widget-1.0.0.tgz', size: 2000 });
  });

  it('enforces publish rules and maintainership', async () => {
    await request(harness.app).put('/@locked%2fx').set('authorization', `Bearer ${token}`).send(publishBody('@locked/x', '1.0.0', randomBytes(10))).expect(403);
    await request(harness.app).put('/mine').set('authorization', `Bearer ${token}`).send(publishBody('mine', '1.0.0', randomBytes(10))).expect(201);
    const bob = await login(harness.app, 'bob');
    await request(harness.app).put('/mine').set('authorization', `Bearer ${bob}`).send(publishBody('mine', '1.0.1', randomBytes(10))).expect(403);
  });

  it('dist-tags, deprecate, single-version and whole unpublish; unpublished versions stay reserved', async () => {
    const auth = { authorization: `Bearer ${token}` };
    for (const v of ['1.0.0', '1.1.0', '2.0.0-rc.1']) {
      const body = publishBody('tagged', v, randomBytes(50));
      if (v.includes('rc')) body['dist-tags'] = { next: v };
      await request(harness.app).put('/tagged').set(auth).send(body).expect(201);
    }
    await request(harness.app).put('/-/package/tagged/dist-tags/beta').set(auth).set('content-type', 'application/json').send('"1.0.0"').expect(201);
    await request(harness.app).put('/-/package/tagged/dist-tags/1.x').set(auth).set('content-type', 'application/json').send('"1.0.0"').expect(400);
    await request(harness.app).put('/-/package/tagged/dist-tags/beta2').set(auth).set('content-type', 'application/json').send('"7.0.0"').expect(404);
    expect((await request(harness.app).get('/-/package/tagged/dist-tags').expect(200)).body).toEqual({ latest: '1.1.0', next: '2.0.0-rc.1', beta: '1.0.0' });
    await request(harness.app).delete('/-/package/tagged/dist-tags/beta').set(auth).expect(200);
    await request(harness.app).delete('/-/package/tagged/dist-tags/latest').set(auth).expect(400);
    expect(harness.audit.ofType('npm.dist-tags.update').map((e) => e.status_code)).toEqual([201, 400, 404, 200, 400]);

    const full = (await request(harness.app).get('/tagged?write=true').set(auth).expect(200)).body;
    full.versions['1.0.0'].deprecated = 'use 1.1.0';
    await request(harness.app).put('/tagged').set(auth).send(full).expect(200);
    const corgi = await request(harness.app).get('/tagged').set('accept', 'application/vnd.npm.install-v1+json').expect(200);
    expect(corgi.body.versions['1.0.0'].deprecated).toBe('use 1.1.0');

    const current = (await request(harness.app).get('/tagged?write=true').set(auth).expect(200)).body;
    delete current.versions['1.1.0'];
    delete current['dist-tags'].latest;
    await request(harness.app).put(`/tagged/-rev/${current._rev}`).set(auth).send(current).expect(200);
    await request(harness.app).delete(`/tagged/-/tagged-1.1.0.tgz/-rev/${current._rev}`).set(auth).expect(200);
    const after = (await request(harness.app).get('/tagged').expect(200)).body;
    expect(Object.keys(after.versions).sort()).toEqual(['1.0.0', '2.0.0-rc.1']);
    expect(after['dist-tags'].latest).toBe('1.0.0');
    await request(harness.app).get('/tagged/-/tagged-1.1.0.tgz').expect(404);
    await request(harness.app).put('/tagged').set(auth).send(publishBody('tagged', '1.1.0', randomBytes(5))).expect(403);

    await request(harness.app).delete(`/tagged/-rev/${after._rev}`).set(auth).expect(200);
    await request(harness.app).get('/tagged').expect(404);
    await request(harness.app).put('/tagged').set(auth).send(publishBody('tagged', '1.0.0', randomBytes(5))).expect(403);
  });

  it('refuses to claim a name the upstream serves (403, saying why); new names and own names keep working', async () => {
    const refused = await request(harness.app).put('/taken-upstream').set('authorization', `Bearer ${token}`).send(publishBody('taken-upstream', '99.0.0', randomBytes(5))).expect(403);
    expect(refused.body.error).toMatch(/served by the upstream registry.*NPM_CLAIMABLE_NAMES/);
    const written: string[] = [];
    for await (const key of harness.store.list('npm/local')) written.push(key);
    expect(written.filter((k) => k.includes('taken-upstream'))).toEqual([]);
    expect((await request(harness.app).get('/taken-upstream').expect(200)).body['dist-tags'].latest).toBe('9.0.0');
    await request(harness.app).put('/fresh-name').set('authorization', `Bearer ${token}`).send(publishBody('fresh-name', '1.0.0', randomBytes(5))).expect(201);
    harness.upstream.setPackage('fresh-name', { '5.0.0': { tarball: randomBytes(10) } }); // the upstream takes the name later
    await request(harness.app).put('/fresh-name').set('authorization', `Bearer ${token}`).send(publishBody('fresh-name', '1.0.1', randomBytes(5))).expect(201);
  });

  it('fails closed when the upstream cannot be asked: 503 for a name not owned here', async () => {
    harness.upstream.setDown(true);
    try {
      const refused = await request(harness.app).put('/unasked').set('authorization', `Bearer ${token}`).send(publishBody('unasked', '1.0.0', randomBytes(5))).expect(503);
      expect(refused.body.error).toMatch(/upstream could not be asked/);
      await request(harness.app).put('/@private%2fstill-works').set('authorization', `Bearer ${token}`).send(publishBody('@private/still-works', '1.0.0', randomBytes(5))).expect(201);
    } finally {
      harness.upstream.setDown(false);
    }
  });

  it('never merges upstream versions into a name published here (dependency confusion)', async () => {
    harness = await harness.restart({ env: { NPM_CLAIMABLE_NAMES: 'taken-*' } });
    expect((await request(harness.app).get('/taken-upstream').expect(200)).body['dist-tags'].latest).toBe('9.0.0');
    await request(harness.app).put('/taken-upstream').set('authorization', `Bearer ${token}`).send(publishBody('taken-upstream', '0.1.0', randomBytes(5))).expect(201);
    const doc = (await request(harness.app).get('/taken-upstream').expect(200)).body;
    expect(Object.keys(doc.versions)).toEqual(['0.1.0']);
    const search = await request(harness.app).get('/-/v1/search?text=taken').expect(200);
    expect(search.body.objects.map((o: { package: { name: string; version: string } }) => o.package)).toEqual([expect.objectContaining({ name: 'taken-upstream', version: '0.1.0' })]);
  });

  it('keeps every version when two instances publish concurrently; the same version twice has one winner', async () => {
    // Another instance on the same storage: a store object of its own, so the two compete with compare-and-swap.
    const other = (await harness.instance({ store: asSeparateInstance(harness.store), env: {} })).app;
    const versions = Array.from({ length: 6 }, (_, i) => `1.0.${i}`);
    const results = await Promise.all(versions.map((v, i) =>
      request(i % 2 ? harness.app : other).put('/race').set('authorization', `Bearer ${token}`).send(publishBody('race', v, randomBytes(20)))));
    expect(results.map((r) => r.status)).toEqual(versions.map(() => 201));
    expect(Object.keys((await request(harness.app).get('/race').expect(200)).body.versions).sort()).toEqual(versions);
    const same = await Promise.all([harness.app, other].map((a) =>
      request(a).put('/race').set('authorization', `Bearer ${token}`).send(publishBody('race', '3.0.0', randomBytes(20)))));
    expect(same.map((r) => r.status).sort()).toEqual([201, 403]);
    const winner = (await request(other).get('/race').expect(200)).body.versions['3.0.0'].dist.integrity;
    const bytes = (await request(other).get('/race/-/race-3.0.0.tgz').expect(200)).body as Buffer;
    expect(`sha512-${(await import('node:crypto')).createHash('sha512').update(new Uint8Array(bytes)).digest('base64')}`).toBe(winner);
  });
});
