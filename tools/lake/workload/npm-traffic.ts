import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FixtureRegistry } from '@registry/npm-testing';
import { expectStatus, request, type Operation } from './operations';

/** (package, tarball body size before gzip, downloads): the first download goes upstream, the rest hit the cache. */
export const NPM_DOWNLOADS: ReadonlyArray<readonly [string, number, number]> = [
  ['lodash', 3000, 5],
  ['react', 6000, 2],
  ['@scope/pkg', 1000, 1],
];

export const PRIVATE_NPM_PACKAGE = '@corp/internal';

/** Deterministic, poorly compressible bytes, so each tarball has a distinct, known size. */
function tarballOf(name: string, bytes: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < bytes; i++) chunks.push(createHash('sha256').update(`${name}:${i}`).digest());
  return gzipSync(new Uint8Array(Buffer.concat(chunks as Uint8Array[]).subarray(0, bytes)));
}

export function serveNpmFixtures(upstream: FixtureRegistry): void {
  for (const [name, bytes] of NPM_DOWNLOADS) {
    upstream.setPackage(name, { '1.0.0': { tarball: tarballOf(name, bytes), manifest: { description: `fixture ${name}` } } }, { latest: '1.0.0' });
  }
}

const json = (body: unknown): RequestInit => ({ method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * Downloads (and a HEAD), npm's web-login probe, logins (good and bad passwords), a refused publish and a
 * private package published and downloaded, against the real npm-proxy.
 */
export async function runNpmTraffic(proxy: string): Promise<Operation[]> {
  const ops: Operation[] = [];
  const tarballs = new Map<string, string>();
  for (const [name, , downloads] of NPM_DOWNLOADS) {
    const packument = await request(`${proxy}/${name.replace('/', '%2f')}`);
    expectStatus(`npm packument ${name}`, packument, 200);
    ops.push({ registry: 'npm', action: 'metadata', package: name, source: null, status: 200, size: null, user: null });
    const doc = JSON.parse(packument.body.toString('utf8')) as { versions: Record<string, { dist: { tarball: string } }> };
    const tarballUrl = doc.versions['1.0.0']?.dist.tarball as string;
    if (!tarballUrl.startsWith(proxy)) throw new Error(`packument of ${name} points at ${tarballUrl}, not at the proxy`);
    tarballs.set(name, tarballUrl);
    for (let i = 0; i < downloads; i++) {
      const got = await request(tarballUrl);
      expectStatus(`npm tarball ${name} #${i + 1}`, got, 200);
      ops.push({ registry: 'npm', action: 'download', package: name, source: i === 0 ? 'upstream' : 'cache', status: 200, size: got.body.length, user: null });
    }
  }
  // A HEAD of a cached tarball: not a download, no bytes.
  const head = await request(tarballs.get('lodash') as string, { method: 'HEAD' });
  expectStatus('npm HEAD lodash tarball', head, 200);
  ops.push({ registry: 'npm', action: 'download', package: 'lodash', source: 'cache', status: 200, size: 0, user: null, method: 'HEAD' });
  const missing = await request(`${proxy}/lodash/-/lodash-9.9.9.tgz`);
  ops.push({ registry: 'npm', action: 'download', package: 'lodash', source: null, status: missing.status, size: null, user: null });

  const login = async (user: string, password: string, expected: number): Promise<string> => {
    const res = await request(`${proxy}/-/user/org.couchdb.user:${user}`, json({ name: user, password }));
    expectStatus(`npm login ${user}`, res, expected);
    ops.push({ registry: 'npm', action: 'login', package: null, source: null, status: res.status, size: null, user });
    return expected === 201 ? (JSON.parse(res.body.toString('utf8')) as { token: string }).token : '';
  };
  // npm's web-login probe: the registry offers no web login (404), so npm logs in the classic way.
  const probe = await request(`${proxy}/-/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expectStatus('npm web-login probe', probe, 404);
  ops.push({ registry: 'npm', action: 'login', package: null, source: null, status: 404, size: null, user: null });
  await login('alice', 'alice-password', 201); // sign-up
  await login('alice', 'wrong', 401);
  await login('alice', 'wrong-again', 401);
  const bobToken = await login('bob', 'bob-password', 201);
  await login('bob', 'wrong', 401);

  // A publish document without versions or attachments: refused with a 4xx, recorded with bob as the user.
  const publish = await request(`${proxy}/private-pkg`, {
    ...json({ name: 'private-pkg' }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bobToken}` },
  });
  if (publish.status < 400 || publish.status >= 500) throw new Error(`bad npm publish answered ${publish.status}, expected a 4xx`);
  ops.push({ registry: 'npm', action: 'upload', package: 'private-pkg', source: null, status: publish.status, size: null, user: 'bob' });
  ops.push(...(await privatePackage(proxy, bobToken)));
  return ops;
}

/** bob publishes a scoped package here and downloads it twice: private downloads, not the cache's doing. */
async function privatePackage(proxy: string, token: string): Promise<Operation[]> {
  const [name, version] = [PRIVATE_NPM_PACKAGE, '1.0.0'];
  const tarball = tarballOf(name, 500);
  const body = {
    _id: name, name, 'dist-tags': { latest: version }, access: 'restricted',
    versions: { [version]: { name, version, dist: { integrity: `sha512-${createHash('sha512').update(new Uint8Array(tarball)).digest('base64')}`, shasum: createHash('sha1').update(new Uint8Array(tarball)).digest('hex'), tarball: `${proxy}/${name}/-/internal-${version}.tgz` } } },
    _attachments: { [`internal-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  const path = name.replace('/', '%2f');
  const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const published = await request(`${proxy}/${path}`, { method: 'PUT', headers: auth, body: JSON.stringify(body) });
  if (published.status !== 200 && published.status !== 201) throw new Error(`npm publish ${name}: HTTP ${published.status}: ${published.body.toString('utf8').slice(0, 300)}`);
  const ops: Operation[] = [{ registry: 'npm', action: 'upload', package: name, source: null, status: published.status, size: null, user: 'bob' }];
  const packument = await request(`${proxy}/${path}`);
  expectStatus(`npm packument ${name}`, packument, 200);
  ops.push({ registry: 'npm', action: 'metadata', package: name, source: null, status: 200, size: null, user: null });
  const url = (JSON.parse(packument.body.toString('utf8')) as { versions: Record<string, { dist: { tarball: string } }> }).versions[version]?.dist.tarball as string;
  for (let i = 0; i < 2; i++) {
    const got = await request(url);
    expectStatus(`npm private tarball ${name} #${i + 1}`, got, 200);
    ops.push({ registry: 'npm', action: 'download', package: name, source: 'cache', status: 200, size: got.body.length, user: null, origin: 'private' });
  }
  return ops;
}
