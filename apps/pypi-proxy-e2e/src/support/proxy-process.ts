import path from 'node:path';
import { startAppProcess, type AppProcess } from '@registry/shared-testing';

export type ProxyProcess = AppProcess;

const ROOT = path.resolve(__dirname, '../../../..');

/** Spawns the built proxy (dist/apps/pypi-proxy/main.js; built if missing) on a free loopback port. */
export function startProxy(env: Record<string, string>): Promise<ProxyProcess> {
  // A fixed PATH as well: nothing from the developer's shell changes the proxy under test.
  return startAppProcess({ root: ROOT, app: 'pypi-proxy', portVariable: 'PYPI_PROXY_PORT', env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...env } });
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
