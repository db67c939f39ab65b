import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir } from '@registry/shared-testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { ClientSandbox, ensureClients, installArgs, makeProject, type ClientName, type ClientPaths } from './support/clients';
import { serveTree } from './support/fixture-packages';
import { startProxy, type ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';

const DEPS = { 'dep-a': '^1.0.0', '@fixture/scoped': '^1.0.0' };

async function installed(project: string, name: string): Promise<string> {
  return JSON.parse(await readFile(path.join(project, 'node_modules', name, 'package.json'), 'utf8')).version as string;
}

describe('installs through npm-proxy with real clients (fs storage)', () => {
  let temp: { dir: string; remove(): Promise<void> };
  let upstream: FixtureRegistry;
  let clients: ClientPaths;
  const proxies: ProxyProcess[] = [];

  beforeAll(async () => {
    temp = await makeTempDir('npm-e2e-install-');
    clients = ensureClients();
    upstream = await startFixtureRegistry();
    await serveTree(upstream, temp.dir, { PATH: process.env['PATH'], HOME: temp.dir, npm_config_cache: path.join(temp.dir, 'pack-cache') });
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await upstream?.close();
    await temp?.remove();
  });

  const startFor = async (name: string): Promise<ProxyProcess> => {
    const proxy = await startProxy({ PATH, DATA_DIR: path.join(temp.dir, `data-${name}`), NPM_UPSTREAM_URL: upstream.url });
    proxies.push(proxy);
    return proxy;
  };

  const install = async (client: ClientName, proxy: ProxyProcess, run: string) => {
    const base = path.join(temp.dir, `${client}-${run}`);
    const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
    const project = path.join(base, 'project');
    await makeProject(project, client, proxy.url, DEPS);
    const [cmd, args] = installArgs(client, clients, box);
    const result = await box.run(cmd, args, project);
    return { result, project };
  };

  it.each<ClientName>(['npm', 'pnpm', 'yarn', 'berry'])('%s installs the tree cold, then warm with zero upstream requests', async (client) => {
    const proxy = await startFor(client);
    upstream.requests.length = 0;
    const cold = await install(client, proxy, 'cold');
    expect({ code: cold.result.code, out: cold.result.code === 0 ? '' : cold.result.stdout + cold.result.stderr }).toEqual({ code: 0, out: '' });
    expect(await installed(cold.project, 'dep-a')).toBe('1.0.0');
    expect(await installed(cold.project, '@fixture/scoped')).toBe('1.0.0');
    expect(upstream.requests.some((r) => r.endsWith('.tgz'))).toBe(true);

    upstream.requests.length = 0;
    const warm = await install(client, proxy, 'warm');
    expect({ code: warm.result.code, out: warm.result.code === 0 ? '' : warm.result.stdout + warm.result.stderr }).toEqual({ code: 0, out: '' });
    // pnpm keeps transitive dependencies in its virtual store instead of hoisting them.
    const depB = client === 'pnpm' ? path.join(warm.project, 'node_modules/.pnpm/dep-b@1.1.0/node_modules/dep-b') : path.join(warm.project, 'node_modules/dep-b');
    expect(JSON.parse(await readFile(path.join(depB, 'package.json'), 'utf8')).version).toBe('1.1.0');
    expect(upstream.requests).toEqual([]);
  });

  it('installs from the cache while the upstream is down', async () => {
    const proxy = await startFor('down');
    const first = await install('npm', proxy, 'before-down');
    expect(first.result.code).toBe(0);
    upstream.setDown(true);
    try {
      const offline = await install('npm', proxy, 'while-down');
      expect({ code: offline.result.code, out: offline.result.code === 0 ? '' : offline.result.stderr }).toEqual({ code: 0, out: '' });
      expect(await installed(offline.project, 'dep-a')).toBe('1.0.0');
    } finally {
      upstream.setDown(false);
    }
  });

  it('forwards npm audit to the upstream bulk advisory endpoint', async () => {
    const proxy = await startFor('audit');
    const { result, project } = await install('npm', proxy, 'audit');
    expect(result.code).toBe(0);
    upstream.requests.length = 0;
    const box = await ClientSandbox.create(path.join(temp.dir, 'audit-run'), proxy.url, PATH);
    const audit = await box.run('npm', ['audit', '--json', '--registry', proxy.url], project);
    expect({ code: audit.code, err: audit.code ? audit.stdout + audit.stderr : '' }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(audit.stdout).metadata.vulnerabilities.total).toBe(0);
    expect(upstream.requests).toContain('POST /-/npm/v1/security/advisories/bulk');
  });

  it('never caches a corrupt upstream tarball and the client fails', async () => {
    await serveTree(upstream, temp.dir, { PATH: process.env['PATH'], HOME: temp.dir, npm_config_cache: path.join(temp.dir, 'pack-cache') }, [{ name: 'corrupt-me', version: '1.0.0' }]);
    upstream.corruptTarball('corrupt-me', '1.0.0');
    const proxy = await startFor('corrupt');
    const base = path.join(temp.dir, 'corrupt');
    const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
    await makeProject(path.join(base, 'project'), 'npm', proxy.url, { 'corrupt-me': '1.0.0' });
    const result = await box.run('npm', ['install', '--registry', proxy.url, '--no-audit', '--fetch-retries=0'], path.join(base, 'project'));
    expect(result.code).not.toBe(0);
    expect(existsSync(path.join(base, 'project', 'node_modules', 'corrupt-me'))).toBe(false);
    const cacheDir = path.join(temp.dir, 'data-corrupt');
    const files = await listFiles(cacheDir);
    expect(files.filter((f) => f.includes('corrupt-me') && f.endsWith('.tgz'))).toEqual([]);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
