import { createHash, randomBytes } from 'node:crypto';
import { makeTempDir, requireServicesEnv, s3AppEnv, uniqueSuffix } from '@registry/shared-testing';
import { startProxy, type ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';

const u8 = (b: Buffer) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);

function publishBody(name: string, version: string): string {
  const tarball = randomBytes(256);
  return JSON.stringify({
    _id: name, name, 'dist-tags': { latest: version },
    versions: { [version]: { name, version, dist: { integrity: `sha512-${createHash('sha512').update(u8(tarball)).digest('base64')}`, tarball: 'http://x/y.tgz' } } },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  });
}

/** Two proxy processes sharing one S3 prefix: the packument compare-and-swap keeps every concurrent publish. */
describe('concurrent publishes from two instances on one bucket', () => {
  const services = requireServicesEnv();
  const prefix = `npm-e2e-cas-${uniqueSuffix()}`;
  let temp: { dir: string; remove(): Promise<void> };
  let proxies: ProxyProcess[] = [];

  beforeAll(async () => {
    temp = await makeTempDir('npm-e2e-cas-');
    // Two processes on versitygw: each reads its conditional writes back (S3_VERIFY_CONDITIONAL_WRITES, in s3AppEnv).
    const env = s3AppEnv(services, prefix);
    proxies = await Promise.all([startProxy({ PATH, ...env }), startProxy({ PATH, ...env })]);
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await temp?.remove();
  });

  it('keeps all different versions and lets exactly one of two identical versions win', async () => {
    const [a, b] = proxies as [ProxyProcess, ProxyProcess];
    const login = await fetch(`${a.url}/-/user/org.couchdb.user:racer`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'racer', password: 'racer-password-1' }),
    });
    expect(login.status).toBe(201);
    const { token } = (await login.json()) as { token: string };
    const put = (proxy: ProxyProcess, name: string, version: string) => fetch(`${proxy.url}/${name}`, {
      method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: publishBody(name, version),
    }).then((r) => r.status);

    const name = `race-${uniqueSuffix()}`;
    const versions = Array.from({ length: 10 }, (_, i) => `1.0.${i}`);
    const statuses = await Promise.all(versions.map((v, i) => put(i % 2 ? a : b, name, v)));
    expect(statuses).toEqual(versions.map(() => 201));
    for (const proxy of proxies) {
      const doc = (await (await fetch(`${proxy.url}/${name}`)).json()) as { versions: Record<string, unknown> };
      expect(Object.keys(doc.versions).sort()).toEqual(versions);
    }

    const twice = await Promise.all([put(a, name, '2.0.0'), put(b, name, '2.0.0')]);
    expect(twice.sort()).toEqual([201, 403]);
    const doc = (await (await fetch(`${b.url}/${name}`)).json()) as { versions: Record<string, { dist: { integrity: string } }> };
    const tarball = Buffer.from(await (await fetch(`${a.url}/${name}/-/${name}-2.0.0.tgz`)).arrayBuffer());
    expect(`sha512-${createHash('sha512').update(u8(tarball)).digest('base64')}`).toBe(doc.versions['2.0.0']?.dist.integrity);
  });
});
