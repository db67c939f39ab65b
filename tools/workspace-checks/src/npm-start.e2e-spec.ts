import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '@registry/shared-testing';

const root = path.resolve(__dirname, '../../..');

/** `npm start` (tools/scripts/start.mjs): the three services with the embedded defaults, on free ports. */
describe('npm start', () => {
  let child: ChildProcess;
  let dataDir: string;
  let output = '';
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'npm-start-'));
    for (const name of ['PYPI_PROXY_PORT', 'NPM_PROXY_PORT', 'AUDIT_GATEWAY_PORT', 'AUDIT_GATEWAY_HTTP_PORT']) ports[name] = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATA_DIR: dataDir };
    // Audit off, as on a fresh machine; upstreams pointed at a closed local port so nothing leaves the machine.
    delete env['KAFKA_BROKERS'];
    delete env['STORAGE_DRIVER'];
    env['PYPI_UPSTREAM_URL'] = 'http://127.0.0.1:9/simple';
    env['NPM_UPSTREAM_URL'] = 'http://127.0.0.1:9';
    child = spawn(process.execPath, [path.join(root, 'tools/scripts/start.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c) => (output += c));
    child.stderr?.on('data', (c) => (output += c));
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each([['pypi-proxy', 'PYPI_PROXY_PORT'], ['npm-proxy', 'NPM_PROXY_PORT'], ['audit-gateway', 'AUDIT_GATEWAY_HTTP_PORT']])(
    '%s answers /-/health, /-/ready and /metrics',
    async (_name, portVar) => {
      const base = `http://127.0.0.1:${ports[portVar]}`;
      await waitFor(async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined), { timeoutMs: 90_000, intervalMs: 200, what: `${base}/-/ready` }).catch((err) => {
        throw new Error(`${(err as Error).message}\n--- output ---\n${output.slice(-3000)}`);
      });
      expect(await (await fetch(`${base}/-/health`)).json()).toEqual({ status: 'ok' });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/process_resident_memory_bytes/);
    },
  );

  it('serves the registries from the local directory store, with audit off', async () => {
    const simple = await fetch(`http://127.0.0.1:${ports['PYPI_PROXY_PORT']}/simple/`);
    expect(simple.status).toBe(200);
    const ping = await fetch(`http://127.0.0.1:${ports['NPM_PROXY_PORT']}/-/ping`);
    expect(ping.status).toBe(200);
    expect(output).toMatch(/KAFKA_BROKERS is unset/);
  });

  it('stops all three on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${ports['NPM_PROXY_PORT']}/-/health`)).rejects.toThrow();
  });
});
