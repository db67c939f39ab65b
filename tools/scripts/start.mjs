#!/usr/bin/env node
// `npm start`: builds the three services and runs them with the embedded defaults (local-directory
// store under ./data, audit gateway with KAFKA_BROKERS unset unless you set it).
// Upstream URLs are configuration: when unset, they are derived at run time from this machine's own
// npm and pip client configuration; if that fails, the proxy runs private-only and says so.
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const apps = ['audit-gateway', 'pypi-proxy', 'npm-proxy'];

const tryRun = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 }).trim();
  } catch {
    return '';
  }
};
const isUrl = (s) => /^https?:\/\//.test(s);

function deriveNpmUpstream() {
  const registry = tryRun('npm', ['config', 'get', 'registry']);
  return isUrl(registry) ? registry.replace(/\/+$/, '') : undefined;
}

/** pip's configured index, else pip's own built-in default index and file host. */
function derivePypiUpstream() {
  const configured = process.env.PIP_INDEX_URL || tryRun('pip', ['config', 'get', 'global.index-url']);
  const script = [
    'from pip._internal.models.index import PyPI',
    'print(PyPI.simple_url)',
    'print("https://" + PyPI.file_storage_domain)',
  ].join('\n');
  const [simple, files] = tryRun('python3', ['-c', script]).split('\n');
  if (isUrl(configured)) return { index: configured.replace(/\/+$/, ''), files: undefined };
  return isUrl(simple ?? '') ? { index: simple.replace(/\/+$/, ''), files: files } : undefined;
}

const env = { ...process.env };
if (!env.NPM_UPSTREAM_URL) {
  const npm = deriveNpmUpstream();
  if (npm) env.NPM_UPSTREAM_URL = npm;
}
if (!env.PYPI_UPSTREAM_URL) {
  const pypi = derivePypiUpstream();
  if (pypi) {
    env.PYPI_UPSTREAM_URL = pypi.index;
    if (pypi.files && !env.PYPI_UPSTREAM_FILES_URL) env.PYPI_UPSTREAM_FILES_URL = pypi.files;
  }
}
if (!env.AUDIT_GATEWAY_ADDR) env.AUDIT_GATEWAY_ADDR = `127.0.0.1:${env.AUDIT_GATEWAY_PORT || 50051}`;

if (!process.argv.includes('--no-build')) {
  for (const app of apps) execFileSync(process.execPath, [path.join(root, 'tools/scripts/build-project.mjs'), `apps/${app}`], { cwd: root, stdio: 'inherit' });
}

const children = apps.map((app) => {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, 'dist/apps', app, 'main.js')], { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${app} exited (${signal ?? code}); stopping the others`);
      stop('SIGTERM', code ?? 1);
    }
  });
  return child;
});

let stopping = false;
function stop(signal, exitCode = 0) {
  stopping = true;
  let alive = children.length;
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) {
      alive -= 1;
      continue;
    }
    child.once('exit', () => {
      alive -= 1;
      if (alive === 0) process.exit(exitCode);
    });
    child.kill(signal);
  }
  if (alive === 0) process.exit(exitCode);
}
process.on('SIGINT', () => stop('SIGTERM'));
process.on('SIGTERM', () => stop('SIGTERM'));
