#!/usr/bin/env node
// `npm start`: builds the three services through the same Nx graph as `npm run build` (protobuf codegen
// included; a second start is answered from the Nx cache), then runs them supervised with the embedded
// defaults: local-directory store under ./data, audit gateway with KAFKA_BROKERS unset unless you set it,
// upstreams derived by each proxy from this machine's npm and pip configuration when they are not set
// (UPSTREAM_FROM_CLIENT_CONFIG, README "Upstreams"). A service that exits unexpectedly is restarted with
// back-off; SIGINT/SIGTERM stops all three, and the exit code is non-zero if one could not be kept up.
// `--no-build` skips the build (dist/ must be there).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupervisor } from './lib/supervisor.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const apps = ['audit-gateway', 'pypi-proxy', 'npm-proxy'];
const log = (line) => console.log(`[start] ${line}`);
const t0 = Date.now();
const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

let stopping = false;
const env = { ...process.env };
env.UPSTREAM_FROM_CLIENT_CONFIG ||= 'true';
env.AUDIT_GATEWAY_ADDR ||= `127.0.0.1:${env.AUDIT_GATEWAY_PORT || 50051}`;
// The gateway authenticates its callers: one fresh secret per start, shared by the three children only.
env.AUDIT_GATEWAY_TOKEN ||= randomBytes(24).toString('base64url');
const ports = {
  'pypi-proxy': env.PYPI_PROXY_PORT || '8081',
  'npm-proxy': env.NPM_PROXY_PORT || '8082',
  'audit-gateway': env.AUDIT_GATEWAY_HTTP_PORT || '8083',
};

if (!existsSync(path.join(root, 'node_modules/.bin/nx'))) {
  log('!!! node_modules is missing: run `npm ci` first (the README: `npm ci && npm start`)');
  process.exit(1);
}
if (!process.argv.includes('--no-build')) {
  log(`building ${apps.join(', ')} with Nx (the graph of \`npm run build\`, codegen included; cached after the first run)`);
  try {
    execFileSync(path.join(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', apps.join(','), '--outputStyle=static'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    });
  } catch {
    log('!!! the build failed (output above); nothing was started');
    process.exit(1);
  }
  log(`built in ${seconds()}`);
}

log(`launcher pid ${process.pid}`);
for (const line of describeConfiguration(env)) log(line);

/** What the newcomer gets, in words: store, audit, upstreams (each proxy adds the URL it derived). */
function describeConfiguration(e) {
  const store = e.STORAGE_DRIVER === 's3'
    ? `store: S3 bucket ${e.S3_BUCKET ?? '(S3_BUCKET unset)'} at ${e.S3_ENDPOINT ?? 'the AWS default endpoint'} (STORAGE_DRIVER=s3)`
    : `store: local directory ${path.resolve(root, e.DATA_DIR || './data')} (STORAGE_DRIVER=fs, the embedded default)`;
  const audit = e.KAFKA_BROKERS
    ? `audit: on, events go to Kafka at ${e.KAFKA_BROKERS}, topic ${e.KAFKA_AUDIT_TOPIC || 'audit-events'}`
    : 'audit: off (KAFKA_BROKERS is unset: the gateway counts events and produces nothing; set KAFKA_BROKERS=host:port to turn it on)';
  const upstream = (variable, client) => e[variable]
    ? `${variable}=${e[variable].replace(/\/\/[^/@]+@/, '//[redacted]@')} (set by you)`
    : `${variable} unset: derived from this machine's ${client} configuration${e.UPSTREAM_FROM_CLIENT_CONFIG === 'true' ? '' : ' (off: UPSTREAM_FROM_CLIENT_CONFIG is not true)'}`;
  return [store, audit, `upstreams: ${upstream('PYPI_UPSTREAM_URL', 'pip')}; ${upstream('NPM_UPSTREAM_URL', 'npm')}`];
}

// Each proxy logs the upstream it derived (and from where) in one line; the summary repeats it.
const upstreams = {};
const onLine = (name, line) => {
  if (!line.startsWith('{') || !line.includes('"upstream"')) return;
  try {
    const entry = JSON.parse(line);
    if (typeof entry.upstream === 'string' && typeof entry.msg === 'string') upstreams[name] = entry.msg;
  } catch {
    // not one of our log lines
  }
};

// The two web consoles link to and search each other (README "Web console").
const peerOf = { 'npm-proxy': 'pypi-proxy', 'pypi-proxy': 'npm-proxy' };
const envOf = (app) => (peerOf[app] && !env.WEB_CONSOLE_PEER_URL ? { ...env, WEB_CONSOLE_PEER_URL: `http://127.0.0.1:${ports[peerOf[app]]}` } : env);
const supervisor = createSupervisor(
  apps.map((app) => ({ name: app, command: process.execPath, args: ['--enable-source-maps', path.join(root, 'dist/apps', app, 'main.js')], cwd: root, env: envOf(app) })),
  { log, onLine, onRestart: announceBack, onAllGaveUp: () => stop('all services failed', 1) },
);
supervisor.start();
announceWhenReady();

async function announceWhenReady() {
  const deadline = Date.now() + 120_000;
  const pending = new Set(apps);
  while (pending.size > 0 && Date.now() < deadline && !stopping) {
    for (const app of [...pending]) if (await isReady(app)) pending.delete(app);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (stopping) return;
  if (pending.size > 0) {
    log(`!!! not ready after ${seconds()}: ${[...pending].join(', ')} (see the output above)`);
    return;
  }
  log(`ready in ${seconds()}:`);
  log(`  pypi-proxy     http://127.0.0.1:${ports['pypi-proxy']}/simple/   ${upstreams['pypi-proxy'] ?? ''}`);
  log(`  npm-proxy      http://127.0.0.1:${ports['npm-proxy']}/   ${upstreams['npm-proxy'] ?? ''}`);
  log(`  audit-gateway  gRPC 127.0.0.1:${env.AUDIT_GATEWAY_PORT || 50051}, http://127.0.0.1:${ports['audit-gateway']}/metrics   ${env.KAFKA_BROKERS ? 'audit on' : 'audit off'}`);
  log(`Ctrl-C (or SIGTERM to the launcher, pid ${process.pid}) stops all three.`);
}

async function announceBack(app) {
  const since = Date.now();
  while (!stopping && Date.now() - since < 120_000) {
    if (await isReady(app)) return log(`${app} is back: ready ${((Date.now() - since) / 1000).toFixed(1)} s after its restart`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function isReady(app) {
  try {
    return (await fetch(`http://127.0.0.1:${ports[app]}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

async function stop(why, code = 0) {
  if (stopping) return;
  stopping = true;
  log(`stopping all services (${why})`);
  await supervisor.stop();
  const failed = supervisor.failed();
  log(failed.length > 0 ? `!!! stopped; could not be kept up: ${failed.join(', ')}` : 'stopped; every service was kept up');
  process.exit(failed.length > 0 ? 1 : code);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
