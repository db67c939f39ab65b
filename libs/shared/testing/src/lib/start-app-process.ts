import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface AppProcess {
  /** The HTTP base URL (health, readiness, the registry itself). */
  url: string;
  pid: number;
  /** Every port variable as bound, so a restart can reuse them (clients keep their address). */
  ports: Record<string, number>;
  output(): string;
  /** SIGTERM, then waits for the exit: the app drains requests and flushes its audit client first. */
  stop(): Promise<void>;
  /** SIGKILL, then waits for the exit: a crash. */
  kill(): Promise<void>;
}

export interface StartAppProcessOptions {
  /** Repository root (where dist/ and tools/ live). */
  root: string;
  /** The app under apps/, run from dist/apps/<app>/main.js (built first when missing). */
  app: string;
  /** Shorthand for `ports: { [portVariable]: free port }`. */
  portVariable?: string;
  /**
   * The app's port variables; the first one serves HTTP. A number binds that port (a restart on fixed ports); 0 lets
   * the app pick one, which is read from its "<app> listening" log line (no window for another process to take it);
   * undefined takes a free loopback port.
   */
  ports?: Record<string, number | undefined>;
  /** The child's whole environment besides PATH, HOST, the ports and LOG_LEVEL=info (which `env` may override). */
  env: Record<string, string>;
  /** What answers 200 once the app is up: `/-/ready` (default), or `/-/health` while a dependency is down on purpose. */
  readyPath?: string;
  /** Extra node flags, e.g. ['--cpu-prof'] for a benchmark. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/**
 * The one launcher of a built app for tests: spawns dist/apps/<app>/main.js on loopback ports and waits until it is
 * ready. Only the given variables reach the child: nothing from the caller's shell changes the app under test. A
 * start that fails kills the child and reports its output.
 */
export async function startAppProcess(opts: StartAppProcessOptions): Promise<AppProcess> {
  const main = path.join(opts.root, `dist/apps/${opts.app}/main.js`);
  if (!existsSync(main)) build(opts.root, opts.app);
  const wanted = opts.ports ?? (opts.portVariable ? { [opts.portVariable]: undefined } : {});
  const ports: Record<string, number> = {};
  for (const [name, port] of Object.entries(wanted)) ports[name] = port ?? (await freePort());
  const httpVariable = Object.keys(ports)[0];
  const child = spawn(process.execPath, ['--enable-source-maps', ...(opts.nodeArgs ?? []), main], {
    cwd: opts.root,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOST: '127.0.0.1', ...stringValues(ports), LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const readyPath = opts.readyPath ?? '/-/ready';
  let url = httpVariable !== undefined && ports[httpVariable] !== 0 ? `http://127.0.0.1:${ports[httpVariable]}` : undefined;
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${opts.app} exited with ${child.exitCode}:\n${output.slice(-3000)}`);
      url ??= /"url":"(http:\/\/[^"]+)"[^\n]*listening/.exec(output)?.[1];
      if (url === undefined) return undefined;
      return (await fetch(`${url}${readyPath}`).catch(() => undefined))?.ok ? true : undefined;
    }, { timeoutMs: opts.timeoutMs ?? 60_000, intervalMs: 100, what: `${opts.app} ${readyPath}` });
  } catch (err) {
    await signal(child, exited, 'SIGKILL');
    throw err;
  }
  if (httpVariable !== undefined && ports[httpVariable] === 0) ports[httpVariable] = Number(new URL(url as string).port);
  return {
    url: url as string, pid: child.pid ?? -1, ports, output: () => output,
    stop: () => signal(child, exited, 'SIGTERM'),
    kill: () => signal(child, exited, 'SIGKILL'),
  };
}

async function signal(child: ChildProcess, exited: Promise<void>, sig: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  await exited;
}

const stringValues = (ports: Record<string, number>): Record<string, string> =>
  Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)]));

/** Builds apps/<app> into dist (the audit protocol code is generated first when missing). */
function build(root: string, app: string): void {
  if (!existsSync(path.join(root, 'libs/audit/proto/src/generated'))) {
    const codegen = spawnSync(process.execPath, ['libs/audit/proto/scripts/codegen.mjs'], { cwd: root, encoding: 'utf8' });
    if (codegen.status !== 0) throw new Error(`audit-proto codegen failed:\n${codegen.stderr}`);
  }
  const built = spawnSync(process.execPath, ['tools/scripts/build-project.mjs', `apps/${app}`], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building ${app} failed:\n${built.stderr}`);
}
