import path from 'node:path';
import { startAppProcess, type AppProcess } from '@registry/shared-testing';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export type ProxyProcess = AppProcess;

/** Spawns the built proxy (dist/apps/npm-proxy/main.js, built first if missing); it picks its port, read from its log. */
export function startProxy(env: Record<string, string> & { PATH: string }): Promise<ProxyProcess> {
  return startAppProcess({ root: REPO_ROOT, app: 'npm-proxy', ports: { NPM_PROXY_PORT: 0 }, env, timeoutMs: 30_000 });
}
