import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@registry/shared-testing';

const run = promisify(execFile);

/**
 * The environment of a newcomer's shell on this machine: no services configured, nothing of the
 * developer's npm run or Nx session (npm sets npm_config_local_prefix to the developer's tree, which would
 * send the clone's `npm ci` there), no node_modules/.bin of the developer's tree on PATH, and an Nx cache
 * of the clone's own so nothing built in the developer's tree can be replayed.
 */
export function newcomerEnv(cloneDir: string, nxDir: string): NodeJS.ProcessEnv {
  const dropped = /^(npm_|NPM_(?!CONFIG_)|NX_|KAFKA_|S3_|STORAGE_|AUDIT_|PYPI_|NPM_|UPSTREAM_|REGISTRY_|DATA_DIR$|INIT_CWD$|JEST_|NODE_OPTIONS$)/;
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !dropped.test(key)));
  env['PATH'] = (process.env['PATH'] ?? '').split(':').filter((dir) => !dir.includes('node_modules')).join(':');
  env['NX_CACHE_DIRECTORY'] = path.join(nxDir, 'cache');
  env['NX_WORKSPACE_DATA_DIRECTORY'] = path.join(nxDir, 'workspace-data');
  env['PWD'] = cloneDir;
  return env;
}

/** `git clone` of the committed HEAD (what CI and a newcomer get), then `npm ci` in it. */
export async function cloneAndInstall(root: string, cloneDir: string, env: NodeJS.ProcessEnv): Promise<{ npmCiSeconds: number }> {
  const { stdout: head } = await run('git', ['rev-parse', 'HEAD'], { cwd: root });
  await run('git', ['clone', '--quiet', root, cloneDir], { env });
  await run('git', ['checkout', '--quiet', '--detach', head.trim()], { cwd: cloneDir, env });
  const t0 = Date.now();
  try {
    await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: cloneDir, env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ci in the fresh clone failed: ${e.message}\n${(e.stdout ?? '').slice(-2000)}\n${(e.stderr ?? '').slice(-3000)}`);
  }
  return { npmCiSeconds: (Date.now() - t0) / 1000 };
}

/** The README's start command (`npm start`) running in its own process group, as a terminal would run it. */
export class NpmStart {
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('npm', ['start'], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Colours stripped: the assertions read the words.
    const add = (chunk: Buffer) => (this.output += chunk.toString().replace(/\x1b\[[0-9;]*m/g, ''));
    this.child.stdout?.on('data', add);
    this.child.stderr?.on('data', add);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The launcher's own lines, for failure messages. */
  launcherLines(): string {
    return this.output.split('\n').filter((l) => l.startsWith('[start]') || !l.startsWith('{')).slice(-60).join('\n');
  }

  /** The pid the launcher last reported for a service ("[start] <name> running (pid N)"). */
  pidOf(name: string): number {
    const pids = [...this.output.matchAll(new RegExp(`^\\[start\\] ${name} running \\(pid (\\d+)\\)`, 'gm'))].map((m) => Number(m[1]));
    const pid = pids.at(-1);
    if (!pid) throw new Error(`the launcher never reported ${name}'s pid\n${this.launcherLines()}`);
    return pid;
  }

  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
    await waitFor(() => (pattern.test(this.output) ? true : undefined), { timeoutMs, intervalMs: 100, what: `${pattern} in the output of npm start` }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- npm start ---\n${this.launcherLines()}`);
    });
  }

  /** SIGTERM to the launcher alone, as a process manager stops it; npm then exits with its code. */
  terminateLauncher(): void {
    const pid = Number(/^\[start\] launcher pid (\d+)$/m.exec(this.output)?.[1]);
    if (!pid) throw new Error(`the launcher never reported its pid\n${this.launcherLines()}`);
    process.kill(pid, 'SIGTERM');
  }

  /** Ctrl-C: SIGINT to the whole process group (npm, the launcher and the services); npm itself dies of it. */
  interrupt(): void {
    if (this.child.pid && this.child.exitCode === null) process.kill(-this.child.pid, 'SIGINT');
  }

  /** Whatever is left of the group is killed (the test's cleanup; never needed when stop works). */
  kill(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** `GET url` answers 2xx (false while nothing listens or it answers otherwise). */
export async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).ok;
  } catch {
    return false;
  }
}

export async function waitUntilReady(start: NpmStart, urls: string[], timeoutMs: number): Promise<void> {
  for (const url of urls) {
    await waitFor(async () => ((await answers(url)) ? true : undefined), { timeoutMs, intervalMs: 250, what: url }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- npm start ---\n${start.launcherLines()}`);
    });
  }
}
