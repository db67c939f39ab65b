import { s3AppEnv, uniqueSuffix } from '@registry/shared-testing';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createE2eWorld, upstreamRequestsDuring, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { expectSuccess, type RunResult } from './support/python-clients';

// A broken upstream must never poison the cache, and a stopped one must not stop installs of what is cached.
describe('when the upstream misbehaves or goes away', () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createE2eWorld('resilience', process.env, {
      packages: [{ name: 'e2e-sturdy-leaf', version: '2.0.0' }, { name: 'e2e-sturdy', version: '2.0.0', dependencies: ['e2e-sturdy-leaf'] }],
    });
  });
  afterAll(() => world?.close());

  const pipInstall = async (proxy: ProxyProcess): Promise<RunResult> => {
    const home = await world.freshDir('pip');
    return world.clients.run(world.clients.bin('pip'), [
      'install', '--no-cache-dir', '--retries', '0', '--target', path.join(home, 'site'), '--index-url', `${proxy.url}/simple/`, 'e2e-sturdy',
    ], { home });
  };

  it.each(['truncate', 'corrupt'] as const)('a %s upstream file fails the client, is not cached, and works after recovery', async (mode) => {
    const proxy = await world.startProxy();
    world.upstream.fileMode = mode;
    const failed = await pipInstall(proxy);
    world.upstream.fileMode = 'ok';
    expect(failed.code).not.toBe(0);
    const recovery = await upstreamRequestsDuring(world, async () => {
      expectSuccess(await pipInstall(proxy), 'pip install after recovery', proxy.output());
    });
    // Nothing from the broken attempt was kept: the files come from the upstream again.
    expect(recovery).toEqual(expect.arrayContaining([`GET /packages/e2e-sturdy-leaf/${world.served('e2e-sturdy-leaf').wheel.filename}`]));
  });

  it('keeps installing cached projects (stored in S3) after the upstream stopped, marking pages stale', async () => {
    const proxy = await world.startProxy({
      env: {
        ...s3AppEnv(world.services, `pypi-e2e-${uniqueSuffix()}`),
        // Every page request revalidates, so the outage is actually noticed (stale-if-error).
        PYPI_METADATA_TTL_MS: '0', PYPI_METADATA_STALE_WHILE_REVALIDATE_MS: '0',
      },
    });
    expectSuccess(await pipInstall(proxy), 'pip install (cold, S3)');
    await world.upstream.stop();
    const home = await world.freshDir('uv');
    const uv = await world.clients.run(world.clients.bin('uv'), [
      'pip', 'install', '--python', world.clients.bin('python'), '--target', path.join(home, 'site'),
      '--index-url', `${proxy.url}/simple/`, '--cache-dir', path.join(home, 'uv-cache'), 'e2e-sturdy',
    ], { home });
    expectSuccess(uv, 'uv pip install with the upstream stopped');
    expect(await readdir(path.join(home, 'site'))).toEqual(expect.arrayContaining(['e2e_sturdy', 'e2e_sturdy_leaf']));
    expectSuccess(await pipInstall(proxy), 'pip install with the upstream stopped');
    const page = await fetch(`${proxy.url}/simple/e2e-sturdy/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-registry-stale')).toBe('true');
  });

  it('records the failed upstream downloads in Kafka', async () => {
    const failedUpstream = (e: Record<string, unknown>) =>
      e['status_code'] === 502 && e['source'] === 'upstream' && String(e['package']).startsWith('e2e-sturdy');
    const events = await world.auditEvents((evs) => evs.some(failedUpstream));
    expect(events.find(failedUpstream)?.['event_type']).toMatch(/^pypi\.package\.(download\.upstream|metadata)$/);
  });
});
