import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir, startFaultProxy, waitFor, BREAKING_FAULTS, type FaultProxy } from '@registry/shared-testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { ClientSandbox, ensureClients, installArgs, makeProject, type ClientPaths } from './support/clients';
import { serveTree } from './support/fixture-packages';
import { startProxy, type ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';
const DEPS = { 'dep-a': '^1.0.0', '@fixture/scoped': '^1.0.0' };

const FAULTS = BREAKING_FAULTS;
const PACKAGES = ['dep-a', 'dep-b', '@fixture/scoped'];

// A warm install never depends on the upstream: whatever it does wrong, cached packages install.
describe('warm npm installs while the upstream misbehaves (fault proxy between proxy and fixture)', () => {
  let temp: { dir: string; remove(): Promise<void> };
  let upstream: FixtureRegistry;
  let clients: ClientPaths;
  const proxies: ProxyProcess[] = [];
  const faults: FaultProxy[] = [];

  beforeAll(async () => {
    temp = await makeTempDir('npm-e2e-faults-');
    clients = ensureClients();
    upstream = await startFixtureRegistry();
    await serveTree(upstream, temp.dir, { PATH, HOME: temp.dir, npm_config_cache: path.join(temp.dir, 'pack-cache') });
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await Promise.all(faults.map((f) => f.close()));
    await upstream?.close();
    await temp?.remove();
  });

  const install = async (proxy: ProxyProcess, run: string) => {
    const base = path.join(temp.dir, run);
    const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
    const project = path.join(base, 'project');
    await makeProject(project, 'npm', proxy.url, DEPS);
    const [cmd, args] = installArgs('npm', clients, box);
    const result = await box.run(cmd, args, project);
    expect({ code: result.code, out: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
    return project;
  };

  /** A proxy whose upstream is a fresh fault proxy; every packument request revalidates (in the background). */
  const coldThroughFaultProxy = async (name: string) => {
    const fault = await startFaultProxy(upstream.url);
    faults.push(fault);
    const proxy = await startProxy({
      PATH, DATA_DIR: path.join(temp.dir, `data-${name}`), NPM_UPSTREAM_URL: fault.url,
      NPM_METADATA_TTL_MS: '0', NPM_UPSTREAM_TIMEOUT_MS: '3000', NPM_UPSTREAM_CONNECT_TIMEOUT_MS: '3000',
    });
    proxies.push(proxy);
    await install(proxy, `${name}-cold`);
    return { fault, proxy };
  };

  const upstreamUp = async (proxy: ProxyProcess): Promise<number | undefined> => {
    const text = await (await fetch(`${proxy.url}/metrics`)).text();
    const m = /^npm_proxy_upstream_up\{upstream="npm"\} (\d)/m.exec(text);
    return m ? Number(m[1]) : undefined;
  };

  it.each(FAULTS)('installs from the cache while the upstream %s; the failure is noticed and cached answers are marked stale', async (name, fault) => {
    const { fault: faulty, proxy } = await coldThroughFaultProxy(name.replace(/\W+/g, '-'));
    for (const pkg of PACKAGES) upstream.touch(pkg);
    await faulty.setFault(fault);
    upstream.requests.length = 0;
    const connectionsBefore = faulty.connections;
    const project = await install(proxy, `${name.replace(/\W+/g, '-')}-warm`);
    expect(JSON.parse(await readFile(path.join(project, 'node_modules/dep-a/package.json'), 'utf8')).version).toBe('1.0.0');
    // No tarball was asked of the upstream: they come from the store.
    expect(upstream.requests.filter((r) => r.endsWith('.tgz'))).toEqual([]);
    // The revalidations met the fault (in the background), the upstream was marked unhealthy ...
    // (a connect the kernel never answers is not even an accepted connection: only the breaker below shows it)
    if (fault.kind !== 'unanswered-connect') expect(faulty.connections).toBeGreaterThan(connectionsBefore);
    await waitFor(async () => ((await upstreamUp(proxy)) === 0 ? true : undefined), { what: 'the upstream marked unhealthy' });
    // ... and from then on cached packuments are answered from the copy, marked stale.
    const packument = await fetch(`${proxy.url}/dep-a`, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
    expect([packument.status, packument.headers.get('x-registry-stale')]).toEqual([200, 'true']);
    // It heals once the upstream answers again (the background probe).
    await faulty.setFault({ kind: 'none' });
    await waitFor(async () => ((await upstreamUp(proxy)) === 1 ? true : undefined), { what: 'the upstream healthy again' });
  });

  it('installs from the cache while the upstream trickles its bytes: nobody waits, nothing is marked stale', async () => {
    const { fault, proxy } = await coldThroughFaultProxy('trickle');
    for (const pkg of PACKAGES) upstream.touch(pkg);
    await fault.setFault({ kind: 'trickle', bytes: 16, everyMs: 20 });
    upstream.requests.length = 0;
    await install(proxy, 'trickle-warm');
    expect(upstream.requests.filter((r) => r.endsWith('.tgz'))).toEqual([]);
    // Revalidations run in the background: the copy is served meanwhile, and a slow upstream is not a failed one.
    const packument = await fetch(`${proxy.url}/dep-a`);
    expect([packument.status, packument.headers.get('x-registry-stale')]).toEqual([200, null]);
    expect(await upstreamUp(proxy)).toBe(1);
  });

  it('installs from the cache after the upstream moved away, and a not-cached package is a 5xx with Retry-After, not a 403', async () => {
    const { fault, proxy } = await coldThroughFaultProxy('moved');
    await fault.move();
    await install(proxy, 'moved-warm');
    const missing = await fetch(`${proxy.url}/never-fetched-package`);
    expect(missing.status).toBeGreaterThanOrEqual(502);
    expect(missing.status).toBeLessThanOrEqual(504);
    expect(missing.headers.get('retry-after')).not.toBeNull();
    expect(((await missing.json()) as { error: string }).error).toMatch(/not cached and the upstream is unavailable/);
  });
});
