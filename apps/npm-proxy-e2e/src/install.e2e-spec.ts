import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientSandbox, installedVersion, makeProject, type ClientName } from './support/clients';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import { TREE } from './support/fixture-packages';
import type { ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';

describe('installs through npm-proxy with real clients (fs storage)', () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createE2eWorld('install', { PATH }, { packages: TREE });
  });
  afterAll(() => world?.close());

  const startFor = (name: string): Promise<ProxyProcess> => world.startProxy({ DATA_DIR: path.join(world.dir, `data-${name}`) });
  const install = (client: ClientName, proxy: ProxyProcess, run: string) => world.install(client, proxy, `${client}-${run}`);

  it.each<ClientName>(['npm', 'pnpm', 'yarn', 'berry'])('%s installs the tree cold, then warm with zero upstream requests', async (client) => {
    const proxy = await startFor(client);
    world.upstream.requests.length = 0;
    const cold = await install(client, proxy, 'cold');
    expect({ code: cold.result.code, out: cold.result.code === 0 ? '' : cold.result.stdout + cold.result.stderr }).toEqual({ code: 0, out: '' });
    expect(await installedVersion(cold.project, 'dep-a')).toBe('1.0.0');
    expect(await installedVersion(cold.project, '@fixture/scoped')).toBe('1.0.0');
    expect(world.upstream.requests.some((r) => r.endsWith('.tgz'))).toBe(true);

    world.upstream.requests.length = 0;
    const warm = await install(client, proxy, 'warm');
    expect({ code: warm.result.code, out: warm.result.code === 0 ? '' : warm.result.stdout + warm.result.stderr }).toEqual({ code: 0, out: '' });
    // pnpm keeps transitive dependencies in its virtual store instead of hoisting them.
    const depB = client === 'pnpm' ? path.join(warm.project, 'node_modules/.pnpm/dep-b@1.1.0/node_modules/dep-b') : path.join(warm.project, 'node_modules/dep-b');
    expect(JSON.parse(await readFile(path.join(depB, 'package.json'), 'utf8')).version).toBe('1.1.0');
    expect(world.upstream.requests).toEqual([]);
  });

  it('installs from the cache while the upstream is down', async () => {
    const proxy = await startFor('down');
    const first = await install('npm', proxy, 'before-down');
    expect(first.result.code).toBe(0);
    world.upstream.setDown(true);
    try {
      const offline = await install('npm', proxy, 'while-down');
      expect({ code: offline.result.code, out: offline.result.code === 0 ? '' : offline.result.stderr }).toEqual({ code: 0, out: '' });
      expect(await installedVersion(offline.project, 'dep-a')).toBe('1.0.0');
    } finally {
      world.upstream.setDown(false);
    }
  });

  it('forwards npm audit to the upstream bulk advisory endpoint', async () => {
    const proxy = await startFor('audit');
    const { result, project } = await install('npm', proxy, 'audit');
    expect(result.code).toBe(0);
    world.upstream.requests.length = 0;
    const box = await ClientSandbox.create(path.join(world.dir, 'audit-run'), proxy.url, PATH);
    const audit = await box.run('npm', ['audit', '--json', '--registry', proxy.url], project);
    expect({ code: audit.code, err: audit.code ? audit.stdout + audit.stderr : '' }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(audit.stdout).metadata.vulnerabilities.total).toBe(0);
    expect(world.upstream.requests).toContain('POST /-/npm/v1/security/advisories/bulk');
  });

  it('never caches a corrupt upstream tarball and the client fails', async () => {
    await world.serveTree([{ name: 'corrupt-me', version: '1.0.0' }]);
    world.upstream.corruptTarball('corrupt-me', '1.0.0');
    const proxy = await startFor('corrupt');
    const base = path.join(world.dir, 'corrupt');
    const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
    await makeProject(path.join(base, 'project'), 'npm', proxy.url, { 'corrupt-me': '1.0.0' });
    const result = await box.run('npm', ['install', '--registry', proxy.url, '--no-audit', '--fetch-retries=0'], path.join(base, 'project'));
    expect(result.code).not.toBe(0);
    expect(existsSync(path.join(base, 'project', 'node_modules', 'corrupt-me'))).toBe(false);
    const cacheDir = path.join(world.dir, 'data-corrupt');
    const files = await listFiles(cacheDir);
    expect(files.filter((f) => f.includes('corrupt-me') && f.endsWith('.tgz'))).toEqual([]);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
