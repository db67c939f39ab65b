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

/** Downloads, logins (good and bad passwords) and a refused publish against the real npm-proxy. */
export async function runNpmTraffic(proxy: string): Promise<Operation[]> {
  const ops: Operation[] = [];
  for (const [name, , downloads] of NPM_DOWNLOADS) {
    const packument = await request(`${proxy}/${name.replace('/', '%2f')}`);
    expectStatus(`npm packument ${name}`, packument, 200);
    ops.push({ registry: 'npm', action: 'metadata', package: name, source: null, status: 200, size: null, user: null });
    const doc = JSON.parse(packument.body.toString('utf8')) as { versions: Record<string, { dist: { tarball: string } }> };
    const tarballUrl = doc.versions['1.0.0']?.dist.tarball as string;
    if (!tarballUrl.startsWith(proxy)) throw new Error(`packument of ${name} points at ${tarballUrl}, not at the proxy`);
    for (let i = 0; i < downloads; i++) {
      const got = await request(tarballUrl);
      expectStatus(`npm tarball ${name} #${i + 1}`, got, 200);
      ops.push({ registry: 'npm', action: 'download', package: name, source: i === 0 ? 'upstream' : 'cache', status: 200, size: got.body.length, user: null });
    }
  }
  const missing = await request(`${proxy}/lodash/-/lodash-9.9.9.tgz`);
  ops.push({ registry: 'npm', action: 'download', package: 'lodash', source: null, status: missing.status, size: null, user: null });

  const login = async (user: string, password: string, expected: number): Promise<string> => {
    const res = await request(`${proxy}/-/user/org.couchdb.user:${user}`, json({ name: user, password }));
    expectStatus(`npm login ${user}`, res, expected);
    ops.push({ registry: 'npm', action: 'login', package: null, source: null, status: res.status, size: null, user });
    return expected === 201 ? (JSON.parse(res.body.toString('utf8')) as { token: string }).token : '';
  };
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
  return ops;
}
