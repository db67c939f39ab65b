import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from '@registry/shared-testing';
import { NpmStart, answers, cloneAndInstall, newcomerEnv, waitUntilReady } from './support/fresh-clone';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');

/**
 * What a newcomer gets: the committed HEAD cloned into a temporary directory, `npm ci`, then the README's
 * start command, on free ports, with an Nx cache of its own and nothing of the developer's tree. The
 * upstreams are what `npm start` derives from this machine's own npm and pip configuration, so the pip
 * download and the npm install below go through the proxies to the machine's real registries.
 */
describe('a fresh clone: npm ci && npm start', () => {
  let work: string;
  let clone: string;
  let env: NodeJS.ProcessEnv;
  let first: NpmStart | undefined;
  let second: NpmStart | undefined;
  const ports: Record<string, number> = {};
  const url = (name: string, p = '') => `http://127.0.0.1:${ports[name]}${p}`;
  const readyUrls = () => [url('PYPI_PROXY_PORT', '/-/ready'), url('NPM_PROXY_PORT', '/-/ready'), url('AUDIT_GATEWAY_HTTP_PORT', '/-/ready')];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'fresh-clone-'));
    clone = path.join(work, 'repo');
    for (const name of ['PYPI_PROXY_PORT', 'NPM_PROXY_PORT', 'AUDIT_GATEWAY_PORT', 'AUDIT_GATEWAY_HTTP_PORT']) ports[name] = await freePort();
    env = newcomerEnv(clone, path.join(work, 'nx'));
    const { npmCiSeconds } = await cloneAndInstall(root, clone, env);
    console.log(`fresh clone: npm ci took ${npmCiSeconds.toFixed(0)} s`);
    expect(existsSync(path.join(clone, 'libs/audit/proto/src/generated'))).toBe(false);
    expect(existsSync(path.join(clone, 'dist'))).toBe(false);
    env = { ...env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATA_DIR: path.join(work, 'data') };
    first = new NpmStart(clone, env);
    await waitUntilReady(first, readyUrls(), 300_000);
  }, 900_000);

  afterAll(async () => {
    first?.kill();
    second?.kill();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('builds through the Nx graph (protobuf codegen included) and says what it runs', async () => {
    await first!.waitForOutput(/^\[start\] ready in /m, 30_000);
    const out = first!.output;
    expect(out).toMatch(/nx run audit-proto:codegen/);
    expect(existsSync(path.join(clone, 'libs/audit/proto/src/generated'))).toBe(true);
    expect(out).toContain(`[start] store: local directory ${path.join(work, 'data')} (STORAGE_DRIVER=fs`);
    expect(out).toMatch(/^\[start\] audit: off \(KAFKA_BROKERS is unset/m);
    // Each proxy says which upstream it derived and from which client configuration.
    expect(out).toMatch(/^\[start\] +pypi-proxy .*upstream https?:\/\/\S+.* \(from (this machine's pip configuration|pip's built-in default index)/m);
    expect(out).toMatch(/^\[start\] +npm-proxy .*upstream https?:\/\/\S+ \(from this machine's npm configuration \(npm config get registry\)/m);
    for (const p of ['PYPI_PROXY_PORT', 'NPM_PROXY_PORT', 'AUDIT_GATEWAY_HTTP_PORT']) {
      expect(await (await fetch(url(p, '/-/health'))).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(url(p, '/metrics'))).text()).toMatch(/process_resident_memory_bytes/);
    }
  });

  it('a real pip download goes through pypi-proxy', async () => {
    const venv = (await run('bash', [path.join(clone, 'tools/python/ensure-clients.sh')], { timeout: 900_000 })).stdout.trim().split('\n').pop()!;
    const home = path.join(work, 'pip-home');
    const dest = path.join(work, 'pip-download');
    await mkdir(home, { recursive: true });
    await run(path.join(venv, 'bin/pip'), ['download', '--no-deps', '--no-cache-dir', '--dest', dest, '--index-url', url('PYPI_PROXY_PORT', '/simple/'), 'six==1.16.0'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: home, PIP_CONFIG_FILE: '/dev/null', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      timeout: 180_000,
    });
    expect(await readdir(dest)).toEqual(['six-1.16.0-py2.py3-none-any.whl']);
    expect((await fetch(url('PYPI_PROXY_PORT', '/simple/six/'))).status).toBe(200);
  });

  it('a real npm install goes through npm-proxy', async () => {
    const project = path.join(work, 'npm-project');
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'newcomer', version: '1.0.0', private: true, dependencies: { 'is-number': '7.0.0' } }));
    await writeFile(path.join(work, 'npmrc'), '');
    await run('npm', ['install', '--registry', url('NPM_PROXY_PORT', '/'), '--no-audit', '--no-fund'], {
      cwd: project,
      env: { ...env, npm_config_userconfig: path.join(work, 'npmrc'), npm_config_cache: path.join(work, 'npm-cache') },
      timeout: 180_000,
    });
    expect(JSON.parse(await readFile(path.join(project, 'node_modules/is-number/package.json'), 'utf8')).version).toBe('7.0.0');
    // npm fetched the tarball where the proxy's packument points: the proxy itself.
    const packument = (await (await fetch(url('NPM_PROXY_PORT', '/is-number'))).json()) as { versions: Record<string, { dist: { tarball: string } }> };
    expect(packument.versions['7.0.0']?.dist.tarball).toBe(url('NPM_PROXY_PORT', '/is-number/-/is-number-7.0.0.tgz'));
  });

  it('SIGKILL of pypi-proxy: npm-proxy keeps answering, pypi-proxy is back within seconds', async () => {
    const pid = first!.pidOf('pypi-proxy');
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    await first!.waitForOutput(/^\[start\] !!! pypi-proxy exited unexpectedly \(SIGKILL\).*restarting it in/m, 10_000);
    let npmMisses = 0;
    const back = await waitFor(async () => {
      if (!(await answers(url('NPM_PROXY_PORT', '/-/ping')))) npmMisses += 1;
      return first!.pidOf('pypi-proxy') !== pid && (await answers(url('PYPI_PROXY_PORT', '/-/ready'))) ? Date.now() : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, what: 'pypi-proxy back after SIGKILL' });
    expect(npmMisses).toBe(0);
    console.log(`pypi-proxy answered /-/ready again ${((back - killedAt) / 1000).toFixed(1)} s after SIGKILL`);
    expect(await answers(url('AUDIT_GATEWAY_HTTP_PORT', '/-/ready'))).toBe(true);
  });

  it('Ctrl-C stops all three, every one of them kept up', async () => {
    const before = first!.output.length;
    first!.interrupt();
    await first!.exited;
    const after = first!.output.slice(before);
    expect(after).toMatch(/^\[start\] stopping all services \(SIGINT\)$/m);
    expect(after).toMatch(/^\[start\] stopped; every service was kept up$/m);
    expect(after).not.toMatch(/^\[start\] !!!/m);
    for (const u of readyUrls()) expect(await answers(u)).toBe(false);
  });

  it('a second start reuses the Nx cache; a service that cannot start is given up on, the others serve, and the exit is non-zero', async () => {
    // pypi-proxy refuses this configuration at every start: the launcher must retry, give up, keep the others.
    second = new NpmStart(clone, { ...env, PYPI_UPSTREAM_URL: 'not-a-url' });
    await second.waitForOutput(/^\[start\] built in /m, 120_000);
    expect(second.output).toMatch(/Nx read the output from the cache instead of running the command for 4 out of 4 tasks/);
    await waitUntilReady(second, [url('NPM_PROXY_PORT', '/-/ready'), url('AUDIT_GATEWAY_HTTP_PORT', '/-/ready')], 60_000);
    await second.waitForOutput(/^\[start\] !!! pypi-proxy could not be kept up/m, 90_000);
    expect(second.output).toMatch(/PYPI_UPSTREAM_URL/);
    expect(await answers(url('NPM_PROXY_PORT', '/-/ping'))).toBe(true);
    second.terminateLauncher();
    expect(await second.exited).toBe(1);
    expect(second.output).toMatch(/^\[start\] !!! stopped; could not be kept up: pypi-proxy$/m);
  }, 240_000);
});
