import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface AppProcess {
  url: string;
  pid: number;
  output(): string;
  /** SIGTERM, then waits for the exit: the app drains requests and flushes its audit client first. */
  stop(): Promise<void>;
}

export interface StartAppProcessOptions {
  /** Repository root (where dist/ and tools/ live). */
  root: string;
  app: 'npm-proxy' | 'pypi-proxy' | 'audit-gateway';
  /** The app's port variable, set to a free loopback port. */
  portVariable: string;
  /** The child's whole environment besides PATH, HOST, the port and LOG_LEVEL=info (which `env` may override). */
  env: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Spawns a built app (dist/apps/<app>/main.js, built first if missing) on a free loopback port and waits
 * for its /-/ready. Only the given variables reach the child: nothing from the caller's shell changes the
 * app under test. A start that fails kills the child and reports its output.
 */
export async function startAppProcess(opts: StartAppProcessOptions): Promise<AppProcess> {
  const main = path.join(opts.root, `dist/apps/${opts.app}/main.js`);
  if (!existsSync(main)) {
    const built = spawnSync(process.execPath, ['tools/scripts/build-project.mjs', `apps/${opts.app}`], { cwd: opts.root, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building ${opts.app} failed:\n${built.stderr}`);
  }
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: opts.root,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOST: '127.0.0.1', [opts.portVariable]: String(port), LOG_LEVEL: 'info', ...opts.env },
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
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${opts.app} exited with ${child.exitCode}:\n${output.slice(-3000)}`);
      return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined;
    }, { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: 100, what: `${opts.app} /-/ready` });
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  return { url, pid: child.pid ?? -1, output: () => output, stop };
}
