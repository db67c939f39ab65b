import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { publishBody, startHarness, type PrivateTestHarness } from './testing/harness';

/** What request data names (package names, dist-tags, versions, dist fields) is validated. */
describe('npm-proxy: names taken from requests', () => {
  let harness: PrivateTestHarness;
  let auth: { authorization: string };
  const put = (path: string, body: string) => request(harness.app).put(path).set({ 'content-type': 'application/json', ...auth }).send(body);
  const storedKeys = async () => { const keys: string[] = []; for await (const k of harness.store.list('npm/')) keys.push(k); return keys.sort(); };

  beforeEach(async () => {
    harness = await startHarness({ upstream: false });
    auth = { authorization: `Bearer ${await harness.userToken('alice', 'correct-horse-battery')}` };
    await request(harness.app).put('/demo').set(auth).send(publishBody('demo', '1.0.0', randomBytes(50))).expect(201);
    await request(harness.app).put('/demo').set(auth).send(publishBody('demo', '1.1.0', randomBytes(50))).expect(201);
  });
  afterEach(() => harness.close());

  it.each(['toString', '__proto__', 'constructor', '1.x', 'a%2Fb'])('refuses dist-tag %j with 400 and changes nothing', async (tag) => {
    const before = (await request(harness.app).get('/demo?write=true').expect(200)).body._rev;
    await request(harness.app).put(`/-/package/demo/dist-tags/${encodeURIComponent(tag)}`).set({ 'content-type': 'application/json', ...auth }).send('"1.0.0"').expect(400);
    expect((await request(harness.app).get('/demo?write=true').expect(200)).body._rev).toBe(before);
    expect((await request(harness.app).get('/-/package/demo/dist-tags').expect(200)).body).toEqual({ latest: '1.1.0' });
  });

  it('refuses a dist-tag pointing at a version named like an Object member', async () => {
    for (const target of ['"constructor"', '"toString"', '"__proto__"']) {
      await request(harness.app).put('/-/package/demo/dist-tags/beta').set({ 'content-type': 'application/json', ...auth }).send(target).expect(400);
    }
    await request(harness.app).get('/demo/constructor').expect(404);
    await request(harness.app).get('/demo/__proto__').expect(404);
  });

  it('removes only tags that exist as such: constructor and toString are 404s, and a tag stored before the rule can go', async () => {
    for (const tag of ['constructor', 'toString', 'hasOwnProperty']) await request(harness.app).delete(`/-/package/demo/dist-tags/${tag}`).set(auth).expect(404);
    const key = (await storedKeys()).find((k) => k.startsWith('npm/local/demo'))!;
    const record = JSON.parse((await harness.store.getDocument(key))!.body.toString());
    record.packument['dist-tags'].toString = '1.0.0';
    await harness.store.putDocument(key, Buffer.from(JSON.stringify(record)), { contentType: 'application/json' });
    await request(harness.app).delete('/-/package/demo/dist-tags/toString').set(auth).expect(200);
    expect((await request(harness.app).get('/-/package/demo/dist-tags').expect(200)).body).toEqual({ latest: '1.1.0' });
  });

  it('refuses an unpublish-by-PUT whose dist-tags are invalid, keeping every version', async () => {
    const doc = (await request(harness.app).get('/demo?write=true').expect(200)).body;
    delete doc.versions['1.0.0'];
    const body = JSON.stringify({ ...doc, 'dist-tags': { latest: '1.1.0' } }).replace('"dist-tags":{', '"dist-tags":{"__proto__":"1.1.0","toString":"1.1.0",');
    await put(`/demo/-rev/${doc._rev}`, body).expect(400);
    expect(Object.keys((await request(harness.app).get('/demo').expect(200)).body.versions).sort()).toEqual(['1.0.0', '1.1.0']);
  });

  it('refuses a publish whose dist-tags name an Object member', async () => {
    const body = JSON.stringify(publishBody('demo', '2.0.0', randomBytes(50))).replace('"dist-tags":{', '"dist-tags":{"__proto__":"2.0.0",');
    const before = await storedKeys();
    await put('/demo', body).expect(400);
    expect(await storedKeys()).toEqual(before);
  });

  it.each(['node_modules', 'favicon.ico', '.hidden', '_private', 'UpperCase', 'x'.repeat(215), 'http', 'a b', 'caf%C3%A9'])('refuses to publish the name %j with 400', async (name) => {
    const path = `/${encodeURIComponent(decodeURIComponent(name))}`;
    const before = await storedKeys();
    const res = await request(harness.app).put(path).set(auth).send(publishBody(decodeURIComponent(name), '1.0.0', randomBytes(50)));
    expect(res.status).toBe(400);
    expect(await storedKeys()).toEqual(before);
  });

  it('drops client-sent dist.signatures, npm-signature and attestations when the registry has no signing key', async () => {
    const body = publishBody('signed-by-me', '1.0.0', randomBytes(50), {});
    const dist = (body['versions'] as Record<string, { dist: Record<string, unknown> }>)['1.0.0']!.dist;
    Object.assign(dist, { signatures: [{ keyid: 'SHA256:forged', sig: 'AAAA' }], 'npm-signature': 'forged', attestations: { url: 'http://evil/' } });
    await request(harness.app).put('/signed-by-me').set(auth).send(body).expect(201);
    const served = (await request(harness.app).get('/signed-by-me').expect(200)).body.versions['1.0.0'].dist;
    expect(served).not.toHaveProperty('signatures');
    expect(served).not.toHaveProperty('npm-signature');
    expect(served).not.toHaveProperty('attestations');
  });
});
