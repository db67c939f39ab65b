import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PythonClients {
  venv: string;
  bin(name: 'python' | 'pip' | 'uv' | 'twine' | 'poetry'): string;
  /** Runs a client with an environment isolated from the machine's pip/uv/poetry configuration. */
  run(cmd: string, args: string[], opts: { home: string; cwd?: string; env?: Record<string, string> }): Promise<RunResult>;
}

/** The venv made by tools/python/ensure-clients.sh (jest globalSetup puts its path in the environment). */
export function pythonClients(venv: string | undefined): PythonClients {
  if (!venv) throw new Error('PYPI_E2E_CLIENTS_VENV is unset: run the suite through its jest config (globalSetup runs tools/python/ensure-clients.sh).');
  const bin = (name: string) => path.join(venv, 'bin', name);
  return {
    venv,
    bin,
    run: async (cmd, args, opts) => {
      const env = await isolatedEnv(venv, opts.home, opts.env ?? {});
      return run(cmd, args, { env, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
    },
  };
}

/**
 * Only what the clients need: no PIP_* / UV_* / POETRY_* from the machine (this one sets PIP_FIND_LINKS),
 * config files switched off, caches and HOME inside the test's temp directory.
 */
async function isolatedEnv(venv: string, home: string, extra: Record<string, string>): Promise<Record<string, string>> {
  await mkdir(path.join(home, '.cache'), { recursive: true });
  return {
    PATH: `${path.join(venv, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PIP_CONFIG_FILE: '/dev/null',
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    UV_NO_CONFIG: '1',
    UV_CACHE_DIR: path.join(home, '.cache/uv'),
    UV_PYTHON_DOWNLOADS: 'never',
    POETRY_CONFIG_DIR: path.join(home, '.config/pypoetry'),
    POETRY_CACHE_DIR: path.join(home, '.cache/pypoetry'),
    POETRY_NO_INTERACTION: '1',
    POETRY_VIRTUALENVS_CREATE: 'false',
    POETRY_KEYRING_ENABLED: 'false',
    PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
    ...extra,
  };
}

export function run(cmd: string, args: string[], opts: { env: Record<string, string>; cwd?: string }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Fails with the client's own output, so a broken install explains itself. */
export function expectSuccess(result: RunResult, what: string, serverOutput?: string): RunResult {
  if (result.code === 0) return result;
  // The server's warnings and crashes (not its access log) explain most client failures.
  const server = serverOutput === undefined ? '' : `\n--- server ---\n${serverOutput.split('\n').filter((l) => !l.includes('"level":30')).join('\n').slice(-4000)}`;
  throw new Error(`${what} failed (exit ${result.code})\n--- stdout ---\n${result.stdout.slice(-3000)}\n--- stderr ---\n${result.stderr.slice(-3000)}${server}`);
}

/** `poetry lock` of a one-dependency project whose only source is `simpleUrl`; returns the lock file's text. */
export async function poetryLock(clients: PythonClients, home: string, simpleUrl: string, requirement: string, serverOutput?: string): Promise<string> {
  await writeFile(path.join(home, 'pyproject.toml'), [
    '[tool.poetry]', 'package-mode = false', '',
    '[tool.poetry.dependencies]', 'python = ">=3.9"', `${requirement} = "*"`, '',
    '[[tool.poetry.source]]', 'name = "proxy"', `url = "${simpleUrl}"`, 'priority = "primary"', '',
  ].join('\n'));
  expectSuccess(await clients.run(clients.bin('poetry'), ['lock'], { home, cwd: home }), 'poetry lock', serverOutput);
  return readFile(path.join(home, 'poetry.lock'), 'utf8');
}
