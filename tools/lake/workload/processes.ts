import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort, waitFor } from '@registry/audit-testing';

export interface AppProcess {
  url: string;
  pid: number;
  output(): string;
  /** SIGTERM: the app flushes its audit client (close with a deadline) before it exits. */
  stop(): Promise<void>;
}

/**
 * Spawns a built app (dist/apps/<name>/main.js, built first if missing) on a free loopback port and waits
 * for its /-/ready. Only `env` (plus PATH) reaches the child: nothing from the caller's shell leaks in.
 */
export async function startApp(root: string, name: 'npm-proxy' | 'pypi-proxy', portVariable: string, env: Record<string, string>): Promise<AppProcess> {
  const main = path.join(root, `dist/apps/${name}/main.js`);
  if (!existsSync(main)) {
    const built = spawnSync(process.execPath, ['tools/scripts/build-project.mjs', `apps/${name}`], { cwd: root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building ${name} failed:\n${built.stderr}`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOST: '127.0.0.1', [portVariable]: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitFor(`${name} /-/ready`, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.slice(-3000)}`);
      return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined;
    }, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  return { url, pid: child.pid ?? -1, output: () => output, stop };
}
