import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitFor } from '@registry/audit-testing';

export interface ProxyProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../../../..');

/** Spawns the built proxy (dist/apps/pypi-proxy/main.js; built if missing) on a free loopback port. */
export async function startProxy(env: Record<string, string>): Promise<ProxyProcess> {
  const main = path.join(ROOT, 'dist/apps/pypi-proxy/main.js');
  if (!existsSync(main)) {
    const built = spawnSync(process.execPath, ['tools/scripts/build-project.mjs', 'apps/pypi-proxy'], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building pypi-proxy failed');
  }
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: ROOT,
    // Only these variables: nothing from the developer's shell changes the proxy under test.
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOST: '127.0.0.1', PYPI_PROXY_PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('pypi-proxy /-/ready', async () => {
    if (child.exitCode !== null) throw new Error(`pypi-proxy exited with ${child.exitCode}:\n${output.slice(-3000)}`);
    return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined;
  }, 30_000);
  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A token for `user` (who authenticates with a password), from the proxy's token API. */
export async function createToken(proxyUrl: string, user: string, password: string): Promise<string> {
  const res = await fetch(`${proxyUrl}/-/api/pypi/tokens`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 201) throw new Error(`token API answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
