import request from 'supertest';
import { makeWheel, zipStored, sha256Hex, type BuiltDistribution } from '@registry/pypi-testing';
import { startHarness, type PrivateTestHarness } from './testing/harness';

/** What request data names (filenames, METADATA) cannot break a project or claim another's. */
describe('pypi-proxy: names taken from requests', () => {
  let harness: PrivateTestHarness;
  let auth: { Authorization: string };
  const wheel = makeWheel({ name: 'demo', version: '1.0.0' });

  beforeEach(async () => {
    harness = await startHarness({ upstream: false });
    auth = { Authorization: `Basic ${Buffer.from(`__token__:${await harness.userToken('alice', 'alice-password-123')}`).toString('base64')}` };
    await upload(wheel).expect(200);
  });
  afterEach(() => harness.close());

  const upload = (dist: BuiltDistribution, version = '1.0.0') => {
    const req = request(harness.app).post('/legacy/').set(auth);
    const fields = { ':action': 'file_upload', protocol_version: '1', name: 'demo', version, filetype: 'bdist_wheel', pyversion: 'py3', sha256_digest: dist.sha256 };
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('content', dist.bytes, { filename: dist.filename, contentType: 'application/octet-stream' });
  };
  const page = async () => request(harness.app).get('/simple/demo/').set('Accept', 'text/html').expect(200);

  it('answers a yank of a file named constructor with 404, and the page keeps answering 200', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      await request(harness.app).post(`/-/api/pypi/demo/${name}/yank`).set(auth).send({ reason: 'x' }).expect(404);
    }
    expect((await page()).text).toContain(wheel.filename);
  });

  it('refuses a filename that differs only in case with 409', async () => {
    const upper = makeWheel({ name: 'Demo', version: '1.0.0' });
    const res = await upload(upper).expect(409);
    expect(res.text).toContain('File already exists');
    expect((await page()).text).not.toContain(upper.filename);
  });

  it('refuses with 400 a wheel whose METADATA names another project', async () => {
    const bytes = zipStored([
      ['demo-2.0.0.dist-info/METADATA', Buffer.from('Metadata-Version: 2.1\nName: requests\nVersion: 2.0.0\n\n')],
      ['demo-2.0.0.dist-info/WHEEL', Buffer.from('Wheel-Version: 1.0\n')],
    ]);
    const res = await upload({ filename: 'demo-2.0.0-py3-none-any.whl', bytes, sha256: sha256Hex(bytes) }, '2.0.0').expect(400);
    expect(res.text).toContain('names project "requests"');
    await request(harness.app).get('/files/demo/demo-2.0.0-py3-none-any.whl.metadata').expect(404);
  });
});
