import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './proxy-process';

export type ClientName = 'npm' | 'pnpm' | 'yarn' | 'berry';

export interface ClientPaths {
  pnpm: string;
  yarn: string;
  berry: string;
}

/** Installs the pinned clients (idempotent) with tools/js-clients/ensure-clients.sh and returns their paths. */
export function ensureClients(): ClientPaths {
  const res = spawnSync('bash', [path.join(REPO_ROOT, 'tools/js-clients/ensure-clients.sh')], { encoding: 'utf8', timeout: 300_000 });
  if (res.status !== 0) throw new Error(`ensure-clients.sh failed:\n${res.stderr}`);
  const paths = Object.fromEntries(res.stdout.trim().split('\n').map((line) => line.split('=') as [string, string]));
  return { pnpm: paths['pnpm'] as string, yarn: paths['yarn'] as string, berry: paths['berry'] as string };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A client with its own HOME, userconfig and cache: nothing from this machine's setup leaks in. */
export class ClientSandbox {
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;

  /** `searchPath`: the PATH the clients run with (the spec passes its own, which finds node and npm). */
  constructor(readonly dir: string, readonly registry: string, searchPath: string) {
    this.home = path.join(dir, 'home');
    this.env = {
      PATH: searchPath,
      HOME: this.home,
      XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
      XDG_DATA_HOME: path.join(dir, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
      npm_config_userconfig: path.join(dir, 'npmrc'),
      npm_config_cache: path.join(dir, 'npm-cache'),
      npm_config_registry: registry,
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      YARN_ENABLE_TELEMETRY: '0',
      YARN_CACHE_FOLDER: path.join(dir, 'yarn-cache'),
      COREPACK_ENABLE_STRICT: '0',
    };
  }

  static async create(dir: string, registry: string, searchPath: string): Promise<ClientSandbox> {
    const box = new ClientSandbox(dir, registry, searchPath);
    await mkdir(box.home, { recursive: true });
    await writeFile(path.join(dir, 'npmrc'), `registry=${registry}/\n`);
    return box;
  }

  run(command: string, args: string[], cwd: string, timeoutMs = 180_000): Promise<RunResult> {
    return new Promise((resolve) => {
      execFile(command, args, { cwd, env: this.env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  npm(args: string[], cwd: string): Promise<RunResult> {
    return this.run('npm', [...args, '--registry', this.registry], cwd);
  }

  /**
   * Runs an interactive npm command (login/adduser) in a pseudo-terminal (`script`), answering each prompt
   * when it appears: npm reads passwords only from a TTY.
   */
  interactiveNpm(args: string[], answers: Array<[RegExp, string]>, cwd: string, timeoutMs = 60_000): Promise<RunResult> {
    const cmd = ['npm', ...args, '--registry', this.registry].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return new Promise((resolve) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let next = 0;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const pending = answers[next];
        if (pending && pending[0].test(out)) {
          next++;
          out += '\n';
          child.stdin.write(`${pending[1]}\n`);
        }
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 1, stdout: out, stderr: '' });
      });
    });
  }
}

/** A fresh project that depends on the fixture tree, set up for one client. */
export async function makeProject(dir: string, client: ClientName, registry: string, deps: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'e2e-app', version: '1.0.0', private: true, dependencies: deps }, null, 2));
  // The registry settings below are the README client table's (berry: http whitelist and age gate; pnpm: age).
  if (client === 'berry') {
    await writeFile(path.join(dir, 'yarn.lock'), '');
    await writeFile(path.join(dir, '.yarnrc.yml'), [
      `npmRegistryServer: "${registry}"`,
      'unsafeHttpWhitelist: ["127.0.0.1"]',
      'nodeLinker: node-modules',
      'enableGlobalCache: false',
      'cacheFolder: ./.yarn-cache',
      'enableImmutableInstalls: false',
      'enableTelemetry: false',
      'npmMinimalAgeGate: 0',
      '',
    ].join('\n'));
  }
  if (client === 'pnpm') {
    await writeFile(path.join(dir, 'pnpm-workspace.yaml'), 'minimumReleaseAge: 0\n');
  }
}

/** The install command of each client (the registry comes from the sandbox env / project config). */
export function installArgs(client: ClientName, paths: ClientPaths, box: ClientSandbox): [string, string[]] {
  switch (client) {
    case 'npm':
      return ['npm', ['install', '--registry', box.registry, '--no-audit', '--no-fund']];
    case 'pnpm':
      return [process.execPath, [paths.pnpm, 'install', `--registry=${box.registry}/`, `--store-dir=${path.join(box.dir, 'pnpm-store')}`, '--no-frozen-lockfile', '--reporter=append-only']];
    case 'yarn':
      return [process.execPath, [paths.yarn, 'install', '--registry', box.registry, '--cache-folder', path.join(box.dir, 'yarn-cache'), '--non-interactive', '--no-progress']];
    case 'berry':
      return [process.execPath, [paths.berry, 'install']];
  }
}

/**
 * `client` installs `deps` through `registry` into a fresh project under `base` (`base`/project), from a sandbox of
 * its own beside it; `searchPath` as for ClientSandbox.
 */
export async function installDeps(
  base: string, client: ClientName, paths: ClientPaths, registry: string, deps: Record<string, string>, searchPath: string,
): Promise<{ result: RunResult; project: string }> {
  const box = await ClientSandbox.create(path.join(base, 'sandbox'), registry, searchPath);
  const project = path.join(base, 'project');
  await makeProject(project, client, registry, deps);
  const [cmd, args] = installArgs(client, paths, box);
  return { result: await box.run(cmd, args, project), project };
}

/** The version of `name` an install put in the project's node_modules. */
export async function installedVersion(project: string, name: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(project, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}
