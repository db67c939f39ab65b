import request from 'supertest';
import { makeWheel } from '@registry/pypi-testing';
import { startHarness, type PrivateTestHarness } from './testing/harness';

const wheel = makeWheel({ name: 'secret-pkg', version: '1.0.0' });
const basic = (auth: string) => `Basic ${Buffer.from(auth).toString('base64')}`;

/** PYPI_ANONYMOUS_READ: the same read rule as npm's NPM_ANONYMOUS_READ. */
describe('anonymous read access', () => {
  let harness: PrivateTestHarness;
  let token: string;

  const start = async (env: Record<string, string>) => {
    harness = await startHarness({ upstream: false, env });
    token = await harness.userToken('alice', 'alice-password-123');
    const req = request(harness.app).post('/legacy/').set('Authorization', basic(`__token__:${token}`));
    const fields = {
      ':action': 'file_upload', protocol_version: '1', name: 'secret-pkg', version: '1.0.0', filetype: 'bdist_wheel',
      pyversion: 'py3', metadata_version: '2.1', sha256_digest: wheel.sha256,
    };
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    await req.attach('content', wheel.bytes, { filename: wheel.filename, contentType: 'application/octet-stream' }).expect(200);
  };
  afterEach(() => harness.close());

  const paths = () => ['/simple/', '/simple/secret-pkg/', `/files/secret-pkg/${wheel.filename}`, `/files/secret-pkg/${wheel.filename}.metadata`];

  it('off: index, project pages and files need credentials (401 with a challenge); with them they are served, privately cached', async () => {
    await start({ PYPI_ANONYMOUS_READ: 'false' });
    for (const path of paths()) {
      const anonymous = await request(harness.app).get(path).expect(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Basic /);
      expect(anonymous.text).not.toContain('secret-pkg-1.0.0');
      await request(harness.app).get(path).set('Authorization', basic('alice:wrong-password')).expect(403);
      const served = await request(harness.app).get(path).set('Authorization', basic(`__token__:${token}`)).expect(200);
      expect(served.headers['cache-control']).toMatch(/^private/);
    }
  });

  it('on (the default): anyone reads; wrong credentials are still refused rather than ignored', async () => {
    await start({});
    for (const path of paths()) await request(harness.app).get(path).expect(200);
    await request(harness.app).get('/simple/').set('Authorization', basic('alice:wrong-password')).expect(403);
  });
});
