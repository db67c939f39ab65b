// The real package clients of the "what users feel" cases: how each one is run against an index with an
// isolated HOME, config and cold cache, and how its result is checked (the installed set must be exactly the
// tree's name@version set). Paths of the clients come from tools/js-clients and tools/python (BENCH_PNPM,
// BENCH_PY_VENV, set by run.sh); npm is the one that ships with Node.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What each system's index URL looks like for a client family. */
export const INDEX_PATH = {
  'ours-npm-up': '/', 'ours-npm-stale': '/', 'ours-npm-hang': '/', verdaccio: '/',
  'ours-pypi-up': '/simple/', 'ours-pypi-stale': '/simple/', 'ours-pypi-hang': '/simple/', devpi: '/root/tree/+simple/', 'proxpi-tree': '/index/',
};

/**
 * A clean environment: no npm_config_* / PIP_* / UV_* / proxy variables inherited from `npm run` or the
 * user's shell, HOME and XDG dirs inside the sample's own directory.
 */
export function isolatedEnv(home) {
  for (const d of ['config', 'cache', 'data', 'state']) mkdirSync(path.join(home, `.${d}`), { recursive: true });
  return {
    PATH: process.env.PATH, LANG: 'C.UTF-8', HOME: home, TMPDIR: home, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost',
    XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.data'), XDG_STATE_HOME: path.join(home, '.state'),
  };
}

const npmEnv = (home, cache) => {
  writeFileSync(path.join(home, '.npmrc'), '');
  writeFileSync(path.join(home, 'global-npmrc'), '');
  return { npm_config_userconfig: path.join(home, '.npmrc'), npm_config_globalconfig: path.join(home, 'global-npmrc'), npm_config_cache: cache };
};

/** name@version of every package directory npm wrote (from its hidden lockfile; nested copies count once). */
function npmInstalled(project) {
  const lock = JSON.parse(readFileSync(path.join(project, 'node_modules', '.package-lock.json'), 'utf8'));
  return new Set(Object.entries(lock.packages).map(([key, v]) => `${key.slice(key.lastIndexOf('node_modules/') + 13)}@${v.version}`));
}

/** name@version of pnpm's virtual store entries (node_modules/.pnpm/<name with + for />@<version>). */
function pnpmInstalled(project) {
  const store = path.join(project, 'node_modules', '.pnpm');
  return new Set(readdirSync(store).filter((d) => d.includes('@', 1)).map((d) => d.replace('+', '/').replace(/_.*$/, '')));
}

/** name==version of every *.dist-info directory in a --target dir (names normalized as PEP 503 does). */
function wheelsInstalled(target) {
  return new Set(readdirSync(target).filter((d) => d.endsWith('.dist-info')).map((d) => {
    const [name, version] = d.slice(0, -'.dist-info'.length).split('-');
    return `${name.replace(/[-_.]+/g, '-').toLowerCase()}==${version}`;
  }));
}

/**
 * @returns {Record<string, { family: 'npm'|'pypi', prepare(dir: string, indexUrl: string, tree: object):
 *   { command: string, args: string[], env: object, cwd: string }, installed(dir: string): Set<string> }>}
 */
export function clients() {
  const venv = process.env.BENCH_PY_VENV ?? '';
  const npmProject = (dir, tree) => {
    const project = path.join(dir, 'project');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, 'package.json'), JSON.stringify(tree.root, null, 2));
    return project;
  };
  const pypiProject = (dir, tree) => {
    mkdirSync(path.join(dir, 'target'), { recursive: true });
    writeFileSync(path.join(dir, 'requirements.txt'), `${tree.requirements.join('\n')}\n`);
    return dir;
  };
  return {
    npm: {
      family: 'npm',
      prepare: (dir, url, tree) => ({
        command: 'npm', cwd: npmProject(dir, tree),
        args: ['install', `--registry=${url}`, '--no-audit', '--no-fund', '--ignore-scripts', '--no-update-notifier', '--loglevel=error'],
        env: { ...isolatedEnv(path.join(dir, 'home')), ...npmEnv(path.join(dir, 'home'), path.join(dir, 'cache')) },
      }),
      installed: (dir) => npmInstalled(path.join(dir, 'project')),
    },
    pnpm: {
      family: 'npm',
      prepare: (dir, url, tree) => ({
        command: process.execPath, cwd: npmProject(dir, tree),
        args: [process.env.BENCH_PNPM ?? 'pnpm', 'install', `--registry=${url}`, `--store-dir=${path.join(dir, 'store')}`,
          `--cache-dir=${path.join(dir, 'cache')}`, '--ignore-scripts', '--reporter=silent',
          // The fixture upstream dates every version "now"; pnpm's default minimum release age would hold them all back.
          '--config.minimum-release-age=0'],
        env: { ...isolatedEnv(path.join(dir, 'home')), ...npmEnv(path.join(dir, 'home'), path.join(dir, 'cache')) },
      }),
      installed: (dir) => pnpmInstalled(path.join(dir, 'project')),
    },
    pip: {
      family: 'pypi',
      prepare: (dir, url, tree) => ({
        command: path.join(venv, 'bin', 'python'), cwd: pypiProject(dir, tree),
        args: ['-m', 'pip', 'install', '--isolated', '--disable-pip-version-check', '--no-input', '--quiet', `--index-url=${url}`,
          `--cache-dir=${path.join(dir, 'cache')}`, `--target=${path.join(dir, 'target')}`, '-r', 'requirements.txt'],
        env: { ...isolatedEnv(path.join(dir, 'home')), PIP_CONFIG_FILE: '/dev/null' },
      }),
      installed: (dir) => wheelsInstalled(path.join(dir, 'target')),
    },
    uv: {
      family: 'pypi',
      prepare: (dir, url, tree) => ({
        command: path.join(venv, 'bin', 'uv'), cwd: pypiProject(dir, tree),
        args: ['pip', 'install', '--no-config', '--quiet', `--index-url=${url}`, `--cache-dir=${path.join(dir, 'cache')}`,
          `--target=${path.join(dir, 'target')}`, `--python=${path.join(venv, 'bin', 'python')}`, '-r', 'requirements.txt'],
        env: isolatedEnv(path.join(dir, 'home')),
      }),
      installed: (dir) => wheelsInstalled(path.join(dir, 'target')),
    },
  };
}

/** Why a client cannot run here, or undefined. */
export function missingClient(name) {
  if (name === 'pnpm' && !existsSync(process.env.BENCH_PNPM ?? '')) return 'pnpm is not installed (tools/js-clients/ensure-clients.sh)';
  if ((name === 'pip' || name === 'uv') && !existsSync(path.join(process.env.BENCH_PY_VENV ?? '', 'bin', name === 'uv' ? 'uv' : 'python'))) {
    return `${name} is not installed (tools/python/ensure-clients.sh)`;
  }
  return undefined;
}
