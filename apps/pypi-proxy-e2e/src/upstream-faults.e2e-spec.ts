import { startFaultProxy, waitFor, BREAKING_FAULTS, type FaultProxy } from '@registry/shared-testing';
import path from 'node:path';
import { createE2eWorld, upstreamRequestsDuring, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { expectSuccess } from './support/python-clients';

const FAULTS = BREAKING_FAULTS;

// A warm install never depends on the upstream: whatever it does wrong, cached projects install.
describe('warm pip and uv installs while the upstream misbehaves (fault proxies between proxy and fixture)', () => {
  let world: E2eWorld;
  const faults: FaultProxy[] = [];

  beforeAll(async () => {
    world = await createE2eWorld('faults', process.env, {
      packages: [{ name: 'e2e-faulty-leaf', version: '2.0.0' }, { name: 'e2e-faulty', version: '2.0.0', dependencies: ['e2e-faulty-leaf'] }],
    });
  });
  afterAll(async () => {
    await world?.close();
    await Promise.all(faults.map((f) => f.close()));
  });

  const pip = async (proxy: ProxyProcess, what: string) => {
    const home = await world.freshDir('pip');
    expectSuccess(await world.clients.run(world.clients.bin('pip'), [
      'install', '--no-cache-dir', '--retries', '0', '--target', path.join(home, 'site'), '--index-url', `${proxy.url}/simple/`, 'e2e-faulty',
    ], { home }), what, proxy.output());
  };
  const uv = async (proxy: ProxyProcess, what: string) => {
    const home = await world.freshDir('uv');
    expectSuccess(await world.clients.run(world.clients.bin('uv'), [
      'pip', 'install', '--python', world.clients.bin('python'), '--target', path.join(home, 'site'),
      '--index-url', `${proxy.url}/simple/`, '--cache-dir', path.join(home, 'uv-cache'), 'e2e-faulty',
    ], { home }), what, proxy.output());
  };

  const behindFaultProxies = async () => {
    const index = await startFaultProxy(world.upstream.indexUrl);
    const files = await startFaultProxy(world.upstream.filesUrl);
    faults.push(index, files);
    return { index, files, env: (dataDir?: string) => ({
      PYPI_UPSTREAM_URL: `${index.url}/simple`, PYPI_UPSTREAM_FILES_URL: files.url,
      PYPI_METADATA_TTL_MS: '0', PYPI_UPSTREAM_TIMEOUT_MS: '3000', PYPI_UPSTREAM_CONNECT_TIMEOUT_MS: '3000',
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
    }) };
  };

  const upstreamUp = async (proxy: ProxyProcess): Promise<number | undefined> => {
    const m = /^pypi_proxy_upstream_up\{upstream="pypi"\} (\d)/m.exec(await (await fetch(`${proxy.url}/metrics`)).text());
    return m ? Number(m[1]) : undefined;
  };
  const changePagesUpstream = () => {
    // An older file pip and uv do not pick: the page bytes (and ETag) change, the resolution does not.
    world.upstream.setProject('e2e-faulty-leaf', [...world.served('e2e-faulty-leaf').files, { filename: 'e2e_faulty_leaf-0.0.1.tar.gz', bytes: Buffer.from(`x${Date.now()}`) }]);
    world.upstream.setProject('e2e-faulty', [...world.served('e2e-faulty').files, { filename: 'e2e_faulty-0.0.1.tar.gz', bytes: Buffer.from(`x${Date.now()}`) }]);
  };

  it.each(FAULTS)('installs from the cache while the upstream %s; the failure is noticed and pages are marked stale', async (_name, fault) => {
    const { index, files, env } = await behindFaultProxies();
    const proxy = await world.startProxy({ env: env() });
    await pip(proxy, 'pip install (cold)');
    changePagesUpstream();
    await index.setFault(fault);
    await files.setFault(fault);
    const connectionsBefore = index.connections;
    const seen = await upstreamRequestsDuring(world, async () => {
      await pip(proxy, 'pip install (warm, faulty upstream)');
      await uv(proxy, 'uv pip install (warm, faulty upstream)');
    });
    expect(seen.filter((r) => r.includes('/packages/'))).toEqual([]); // files come from the store
    // (a connect the kernel never answers is not even an accepted connection: only the breaker below shows it)
    if (fault.kind !== 'unanswered-connect') expect(index.connections).toBeGreaterThan(connectionsBefore);
    await waitFor(async () => ((await upstreamUp(proxy)) === 0 ? true : undefined), { what: 'the upstream marked unhealthy' });
    const page = await fetch(`${proxy.url}/simple/e2e-faulty/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    expect([page.status, page.headers.get('x-registry-stale')]).toEqual([200, 'true']);
    await index.setFault({ kind: 'none' });
    await files.setFault({ kind: 'none' });
    await waitFor(async () => ((await upstreamUp(proxy)) === 1 ? true : undefined), { what: 'the upstream healthy again' });
  });

  it('keeps every cached project installable after the upstream moved and PYPI_UPSTREAM_URL/PYPI_UPSTREAM_FILES_URL changed', async () => {
    const { index, files, env } = await behindFaultProxies();
    const dataDir = await world.freshDir('moving-data');
    const before = await world.startProxy({ env: env(dataDir) });
    await pip(before, 'pip install (cold)');
    await index.move();
    await files.move();
    await pip(before, 'pip install (warm, upstream gone from its old address)');
    await before.stop();
    const after = await world.startProxy({ env: env(dataDir) }); // the new URLs
    const seen = await upstreamRequestsDuring(world, async () => {
      await pip(after, 'pip install (new upstream URLs, same store)');
      await uv(after, 'uv pip install (new upstream URLs, same store)');
    });
    expect(seen.filter((r) => r.includes('/packages/'))).toEqual([]);
  });
});
