import { startAppProcess, type AppProcess } from '@registry/shared-testing';

export type { AppProcess };

/**
 * Spawns a built app (dist/apps/<name>/main.js, built first if missing) on a free loopback port and waits
 * for its /-/ready. Only `env` (plus PATH) reaches the child: nothing from the caller's shell leaks in.
 */
export function startApp(root: string, name: 'npm-proxy' | 'pypi-proxy', portVariable: string, env: Record<string, string>): Promise<AppProcess> {
  return startAppProcess({ root, app: name, portVariable, env });
}
