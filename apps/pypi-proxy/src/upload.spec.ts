import request from 'supertest';
import { makeSdist, makeWheel, sha256Hex, type BuiltDistribution } from '@registry/pypi-testing';
import { startHarness, type TestHarness } from './testing/harness';

const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';
const wheel = makeWheel({ name: 'Private.Pkg', version: '1.0.0', requiresPython: '>=3.9' });
const sdist = makeSdist({ name: 'private-pkg', version: '1.0.0' });

describe('legacy upload API and private projects', () => {
  let harness: TestHarness;
  let token: string;

  beforeEach(async () => {
    harness = await startHarness();
    await harness.identity.ensureAdmin('admin', 'admin-password-123');
    token = await harness.userToken('alice', 'alice-password-123');
  });
  afterEach(() => harness.close());

  const upload = (dist: BuiltDistribution, fields: Record<string, string> = {}, auth: string | null = `__token__:${token}`) => {
    const req = request(harness.app).post('/legacy/');
    if (auth !== null) req.set('Authorization', `Basic ${Buffer.from(auth).toString('base64')}`);
    const isWheel = dist.filename.endsWith('.whl');
    const all: Record<string, string> = {
      ':action': 'file_upload', protocol_version: '1', name: 'private-pkg', version: '1.0.0',
      filetype: isWheel ? 'bdist_wheel' : 'sdist', pyversion: isWheel ? 'py3' : 'source', metadata_version: '2.1',
      sha256_digest: dist.sha256, requires_python: '', ...fields,
    };
    for (const [k, v] of Object.entries(all)) req.field(k, v);
    return req.attach('content', dist.bytes, { filename: dist.filename, contentType: 'application/octet-stream' });
  };

  it('accepts a wheel and an sdist with a token, lists them with hashes and PEP 658 metadata', async () => {
    await upload(wheel).expect(200);
    await upload(sdist, {}, 'alice:alice-password-123').expect(200);
    const res = await request(harness.app).get('/simple/private-pkg/').set('Accept', JSON_ACCEPT).expect(200);
    const page = JSON.parse(res.text);
    const whl = page.files.find((f: { filename: string }) => f.filename === wheel.filename);
    expect(whl).toMatchObject({ hashes: { sha256: wheel.sha256 }, 'requires-python': '>=3.9', size: wheel.bytes.length, yanked: false });
    expect(whl['core-metadata']).toEqual({ sha256: sha256Hex(wheel.metadata as Buffer) });
    expect(whl['upload-time']).toMatch(/Z$/);
    expect(page.versions).toEqual(['1.0.0']);
    const meta = await request(harness.app).get(`/files/private-pkg/${wheel.filename}.metadata`).expect(200);
    expect(meta.text).toBe((wheel.metadata as Buffer).toString());
    const html = await request(harness.app).get('/simple/private-pkg/').set('Accept', 'text/html').expect(200);
    expect(html.text).toContain(`data-core-metadata="sha256=${sha256Hex(wheel.metadata as Buffer)}"`);
    expect(html.text).toContain(`data-dist-info-metadata="sha256=${sha256Hex(wheel.metadata as Buffer)}"`);
    expect(html.text).toContain('data-requires-python="&gt;=3.9"');
    const uploads = harness.audit.ofType('pypi.package.upload');
    expect(uploads.map((e) => [e.status_code, e.package, e.version, e.filename, e.extra['user']])).toEqual([
      [200, 'private-pkg', '1.0.0', wheel.filename, 'alice'],
      [200, 'private-pkg', '1.0.0', sdist.filename, 'alice'],
    ]);
  });

  it('answers an identical re-upload with 200 and a different file of the same name with 409', async () => {
    await upload(wheel).expect(200);
    await upload(wheel).expect(200);
    const other = makeWheel({ name: 'Private.Pkg', version: '1.0.0', requiresDist: ['something'] });
    const res = await upload(other).expect(409);
    expect(res.text).toContain('File already exists');
    const page = await request(harness.app).get('/simple/private-pkg/').set('Accept', JSON_ACCEPT).expect(200);
    expect(JSON.parse(page.text).files[0].hashes.sha256).toBe(wheel.sha256);
  });

  it.each([
    ['no credentials', null, 401],
    ['a wrong token', '__token__:pypi-wrong', 403],
    ['a wrong password', 'alice:nope-nope-nope', 403],
  ])('refuses an upload with %s and stores nothing', async (_what, auth, status) => {
    const res = await upload(wheel, {}, auth).expect(status);
    if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    expect(await harness.store.getDocument('pypi/projects/private-pkg.json')).toBeUndefined();
    expect(harness.audit.ofType('pypi.package.upload')[0]).toMatchObject({ status_code: status });
  });

  it.each([
    ['a wrong sha256', { sha256_digest: '0'.repeat(64) }, 'digest supplied does not match'],
    ['a wrong blake2b', { blake2_256_digest: '0'.repeat(64) }, 'digest supplied does not match'],
    ['a filename for another version', { version: '2.0.0' }, 'Start filename'],
    ['an unknown protocol version', { protocol_version: '2' }, 'Unknown protocol version'],
    ['a bad filetype', { filetype: 'bdist_egg' }, 'filetype'],
  ])('rejects %s with 400 and stores nothing', async (_what, fields, message) => {
    const res = await upload(wheel, fields).expect(400);
    expect(res.text).toContain(message);
    expect(await harness.store.getDocument('pypi/projects/private-pkg.json')).toBeUndefined();
    let keys = 0;
    for await (const _key of harness.store.list('pypi/private/')) keys++;
    expect(keys).toBe(0);
  });

  it('keeps both of two concurrent uploads made through two instances sharing one store (compare-and-swap)', async () => {
    const second = await harness.instance();
    const other = makeWheel({ name: 'private-pkg', version: '1.0.1' });
    const uploadTo = (app: typeof harness.app, dist: BuiltDistribution) => request(app).post('/legacy/')
      .set('Authorization', `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`)
      .field(':action', 'file_upload').field('name', 'private-pkg').field('version', dist === wheel ? '1.0.0' : '1.0.1')
      .field('filetype', 'bdist_wheel').field('pyversion', 'py3').field('sha256_digest', dist.sha256)
      .attach('content', dist.bytes, { filename: dist.filename });
    await Promise.all([uploadTo(harness.app, wheel).expect(200), uploadTo(second.app, other).expect(200)]);
    const page = JSON.parse((await request(harness.app).get('/simple/private-pkg/').set('Accept', JSON_ACCEPT).expect(200)).text);
    expect(page.files.map((f: { filename: string }) => f.filename).sort()).toEqual([other.filename, wheel.filename].sort());
    await second.close();
  });

  it('hides upstream files of a name with private uploads (dependency confusion) unless allow-listed', async () => {
    const evil = makeWheel({ name: 'private-pkg', version: '99.0.0' });
    harness.upstream.setProject('private-pkg', [{ filename: evil.filename, bytes: evil.bytes }]);
    // The upstream serves the name: claiming it takes an admin's PYPI_CLAIMABLE_NAMES.
    const refused = await upload(wheel).expect(403);
    expect(refused.text).toMatch(/served by the upstream registry.*PYPI_CLAIMABLE_NAMES/);
    expect((await request(harness.app).get('/simple/private-pkg/').set('Accept', JSON_ACCEPT).expect(200)).text).toContain(evil.filename);
    harness = await harness.restart({ env: { PYPI_CLAIMABLE_NAMES: 'private-*' } });
    await upload(wheel).expect(200);
    const asked = harness.upstream.requests.length;
    const page = JSON.parse((await request(harness.app).get('/simple/private-pkg/').set('Accept', JSON_ACCEPT).expect(200)).text);
    expect(page.files.map((f: { filename: string }) => f.filename)).toEqual([wheel.filename]);
    expect(harness.upstream.requests).toHaveLength(asked);
    await request(harness.app).get(`/files/private-pkg/${evil.filename}`).expect(404);

    const merged = await harness.instance({ env: { PYPI_UPSTREAM_MERGE_ALLOWLIST: 'private-pkg' } });
    const both = JSON.parse((await request(merged.app).get('/simple/private-pkg/').set('Accept', JSON_ACCEPT).expect(200)).text);
    expect(both.files.map((f: { filename: string }) => f.filename).sort()).toEqual([wheel.filename, evil.filename].sort());
    await merged.close();
  });

  it('fails closed when the upstream cannot be asked; a project already owned here keeps taking uploads', async () => {
    await upload(wheel).expect(200);
    await harness.upstream.stop();
    const refused = await upload(makeWheel({ name: 'unasked-pkg', version: '1.0.0' }), { name: 'unasked-pkg' }).expect(503);
    expect(refused.text).toMatch(/upstream could not be asked/);
    await upload(makeWheel({ name: 'private-pkg', version: '1.0.1' }), { version: '1.0.1' }).expect(200);
  });

  it('yanks and unyanks through the admin API, and lets only an admin delete', async () => {
    await upload(wheel).expect(200);
    const asAlice = { Authorization: `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}` };
    await request(harness.app).post(`/-/api/pypi/private-pkg/${wheel.filename}/yank`).set(asAlice).send({ reason: 'broken' }).expect(200);
    let html = await request(harness.app).get('/simple/private-pkg/').expect(200);
    expect(html.text).toContain('data-yanked="broken"');
    await request(harness.app).post(`/-/api/pypi/private-pkg/${wheel.filename}/unyank`).set(asAlice).expect(200);
    html = await request(harness.app).get('/simple/private-pkg/').expect(200);
    expect(html.text).not.toContain('data-yanked');
    await request(harness.app).delete(`/-/api/pypi/private-pkg/${wheel.filename}`).set(asAlice).expect(403);
    const asAdmin = { Authorization: `Basic ${Buffer.from('admin:admin-password-123').toString('base64')}` };
    await request(harness.app).delete(`/-/api/pypi/private-pkg/${wheel.filename}`).set(asAdmin).expect(200);
    await request(harness.app).get(`/files/private-pkg/${wheel.filename}`).expect(404);
    const reupload = await upload(wheel).expect(400);
    expect(reupload.text).toContain('already been used');
    const ops = harness.audit.ofType('pypi.package.metadata').filter((e) => e.extra['operation']);
    expect(ops.map((e) => [e.extra['operation'], e.status_code])).toEqual([['yank', 200], ['unyank', 200], ['delete', 403], ['delete', 200]]);
  });

  it('issues an upload token to a user who authenticates with a password', async () => {
    const res = await request(harness.app).post('/-/api/pypi/tokens')
      .set('Authorization', `Basic ${Buffer.from('alice:alice-password-123').toString('base64')}`).send({}).expect(201);
    token = res.body.token;
    await upload(wheel).expect(200);
  });
});
