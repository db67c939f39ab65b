import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { s3AppEnv, uniqueSuffix } from '@registry/shared-testing';
import { TREE } from './support/build-distributions';
import { ADMIN, createE2eWorld, upstreamRequestsDuring, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { expectSuccess } from './support/python-clients';

/**
 * STORAGE_DOWNLOAD_REDIRECT=presigned on the real S3 server, with anonymous reads off: pip and uv authenticate to
 * the proxy, a cold install streams (misses are fetched and cached), a warm one with an empty client cache follows
 * 302s to presigned URLs of the objects and installs the same files; the audit events say so.
 */
describe('installing through download redirects (S3 storage, presigned URLs) with pip and uv', () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createE2eWorld('redirect', process.env, { packages: TREE });
  });
  afterAll(() => world?.close());

  const startRedirecting = (): Promise<ProxyProcess> => world.startProxy({
    env: { ...s3AppEnv(world.services, `pypi-e2e-redirect-${uniqueSuffix()}`), STORAGE_DOWNLOAD_REDIRECT: 'presigned', PYPI_ANONYMOUS_READ: 'false' },
  });
  /** The index URL with the admin's credentials, as a pip.conf would hold them. */
  const indexOf = (proxy: ProxyProcess): string => {
    const url = new URL(`${proxy.url}/simple/`);
    url.username = ADMIN.user;
    url.password = ADMIN.password;
    return url.toString();
  };

  const installers = {
    pip: async (proxy: ProxyProcess) => {
      const home = await world.freshDir('pip');
      expectSuccess(await world.clients.run(world.clients.bin('pip'), [
        'install', '--no-cache-dir', '--target', path.join(home, 'site'), '--index-url', indexOf(proxy), 'e2e-root',
      ], { home }), 'pip install', proxy.output());
      return (await readdir(path.join(home, 'site'))).sort();
    },
    uv: async (proxy: ProxyProcess) => {
      const home = await world.freshDir('uv');
      expectSuccess(await world.clients.run(world.clients.bin('uv'), [
        'pip', 'install', '--python', world.clients.bin('python'), '--target', path.join(home, 'site'),
        '--index-url', indexOf(proxy), '--cache-dir', path.join(home, 'uv-cache'), 'e2e-root',
      ], { home }), 'uv pip install', proxy.output());
      return (await readdir(path.join(home, 'site'))).sort();
    },
  };

  it.each(['pip', 'uv'] as const)('%s installs the same files cold (streamed) and warm (redirected to S3)', async (client) => {
    const proxy = await startRedirecting();
    let cold: string[] = [];
    expect((await upstreamRequestsDuring(world, async () => (cold = await installers[client](proxy)))).length).toBeGreaterThan(0);
    expect(cold).toEqual(expect.arrayContaining(['e2e_root', 'e2e_leaf']));
    let warm: string[] = [];
    expect(await upstreamRequestsDuring(world, async () => (warm = await installers[client](proxy)))).toEqual([]);
    expect(warm).toEqual(cold);
    expect(proxy.output()).not.toMatch(/X-Amz-Signature=(?!\[redacted\])/i);
  });

  it('records a redirected download as a download from the cache with the stored size and delivery=redirect', async () => {
    const rootWheel = world.served('e2e-root').wheel;
    const isRedirected = (e: Record<string, unknown>) => e['filename'] === rootWheel.filename && e['status_code'] === 302;
    const events = await world.auditEvents((evs) => evs.filter(isRedirected).length >= 2);
    expect(events.filter(isRedirected)).toEqual([
      expect.objectContaining({ event_type: 'pypi.package.download', source: 'cache', size: rootWheel.bytes.length, version: '1.0.0', extra: expect.objectContaining({ delivery: 'redirect', user: ADMIN.user }) }),
      expect.objectContaining({ event_type: 'pypi.package.download', source: 'cache', size: rootWheel.bytes.length, extra: expect.objectContaining({ delivery: 'redirect' }) }),
    ]);
    const streamed = events.filter((e) => e['filename'] === rootWheel.filename && e['status_code'] === 200);
    expect(streamed.map((e) => e['source'])).toEqual(['upstream', 'upstream']);
  });
});
