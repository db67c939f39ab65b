import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export interface ProxyProcess {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns the built proxy (`dist/apps/npm-proxy/main.js`, built first if missing) on a free loopback port. */
export async function startProxy(env: Record<string, string> & { PATH: string }): Promise<ProxyProcess> {
  const main = path.join(REPO_ROOT, 'dist/apps/npm-proxy/main.js');
  if (!existsSync(main)) {
    const built = spawnSync(process.execPath, ['tools/scripts/build-project.mjs', 'apps/npm-proxy'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building npm-proxy failed:\n${built.stderr}`);
  }
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: REPO_ROOT,
    // Only these variables: nothing from the test's environment leaks into the proxy's configuration.
    // LOG_LEVEL stays at info: the "listening" line is how the test learns the port.
    env: { HOST: '127.0.0.1', NPM_PROXY_PORT: '0', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm-proxy did not start:\n${output.slice(-2000)}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*npm-proxy listening/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm-proxy exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  return {
    url,
    pid: child.pid ?? -1,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
