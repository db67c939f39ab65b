#!/usr/bin/env node
// "What users feel": a warm install of the tree data set (gen-tree-npm.mjs, gen-tree-pypi.mjs), timed end to
// end with the real clients (npm, pnpm, pip, uv) through every system of its ecosystem.
// Warm proxy, cold client: before the timed rounds, each client installs the tree once, untimed, through each
// system, so every packument/page and file that client asks for is in that system's cache (and fresh: all
// metadata TTLs are an hour). Each timed sample then starts with a new HOME, config and an empty client cache,
// and must install exactly the tree's name@version set; the upstream's request counter must not move.
// Writes <run dir>/installs.json. Usage: drive-installs.mjs <run dir> <tree data dir>
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installCases, isSelected } from './lib/cases.mjs';
import { clients, INDEX_PATH, missingClient } from './lib/install-clients.mjs';
import { configuredTimeouts, faultConnections, setFault, timeFirstRequest, watchTrip } from './lib/hanging-upstream.mjs';
import { CLK_TCK, treeStats } from './lib/measure.mjs';
import { summary } from './lib/stats.mjs';

const [runDir, treeDir] = process.argv.slice(2);
if (!runDir || !treeDir) throw new Error('usage: drive-installs.mjs <run dir> <tree data dir>');
const rounds = Math.max(1, Number(process.env.BENCH_INSTALL_SAMPLES ?? process.env.BENCH_SAMPLES ?? 3));
const timeoutMs = Number(process.env.BENCH_INSTALL_TIMEOUT_SECONDS ?? 600) * 1000;
const systems = new Map(readFileSync(path.join(runDir, 'systems.txt'), 'utf8').trim().split('\n').filter(Boolean)
  .map((l) => l.split(' ')).map(([name, pid, port]) => [name, { pid: Number(pid), port: Number(port) }]));
// Without the fixture upstream (it did not start) no system has the tree: every row reads "not available".
const fixtureFile = path.join(runDir, 'fixture-urls.json');
const fixture = existsSync(fixtureFile) ? JSON.parse(readFileSync(fixtureFile, 'utf8')) : undefined;
const trees = {
  npm: JSON.parse(readFileSync(path.join(treeDir, 'tree', 'npm', 'index.json'), 'utf8')),
  pypi: JSON.parse(readFileSync(path.join(treeDir, 'tree', 'pypi', 'index.json'), 'utf8')),
};
const upstreamCount = async (family) => (await (await fetch(`${fixture.control}/counts`)).json())[family];
const upstreamRequests = async (family, from) => (await fetch(`${fixture.control}/requests?family=${family}&from=${from}`)).json();

/**
 * One install in a fresh directory; resolves to { seconds, server_cpu_s, rss_mb, error? } (the server's CPU time
 * and peak RSS during the install) and leaves the client's log in logs/.
 */
async function installOnce(client, c, label) {
  const dir = path.join(runDir, 'installs', `${c.client}-${c.system}-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const url = `http://127.0.0.1:${systems.get(c.system).port}${INDEX_PATH[c.system]}`;
  const tree = trees[client.family];
  const { command, args, env, cwd } = client.prepare(dir, url, tree);
  const log = createWriteStream(path.join(runDir, 'logs', `install-${c.client}-${c.system}-${label}.log`));
  const { pid } = systems.get(c.system);
  const before = treeStats(pid);
  let rssKib = before.rssKib;
  const sampler = setInterval(() => { rssKib = Math.max(rssKib, treeStats(pid).rssKib); }, 200);
  const started = performance.now();
  const code = await new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => { log.write(`${err.message}\n`); resolve(-1); });
    child.on('close', (status) => { clearTimeout(timer); resolve(status); });
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const server = { server_cpu_s: (treeStats(pid).cpuTicks - before.cpuTicks) / CLK_TCK, rss_mb: rssKib / 1024 };
  log.end();
  if (code !== 0) return { seconds, ...server, error: `exit ${code} (logs/install-${c.client}-${c.system}-${label}.log)` };
  const installed = client.installed(dir);
  const missing = tree.expected.filter((x) => !installed.has(x));
  const extra = [...installed].filter((x) => !tree.expected.includes(x));
  rmSync(dir, { recursive: true, force: true }); // hundreds of MB per sample otherwise
  if (missing.length || extra.length) return { seconds, ...server, error: `wrong tree: ${missing.length} missing (${missing[0] ?? ''}), ${extra.length} unexpected (${extra[0] ?? ''})` };
  return { seconds, ...server };
}

const all = clients();
const byClient = new Map();
for (const c of installCases().filter((c) => isSelected(c))) byClient.set(c.client, [...(byClient.get(c.client) ?? []), c]);

if (byClient.size) console.error('[bench] timed installs with the real clients');
const rows = [];
for (const [name, cases] of byClient) {
  const client = all[name];
  const missing = missingClient(name);
  const state = cases.map((c) => ({ c, samples: [], cpu: [], rss: 0, upstream: 0, upstreamExamples: [],
    error: missing ?? (systems.has(c.system) && fixture ? undefined : 'not available') }));
  for (const s of state.filter((s) => !s.error)) { // warm-up: fills this system's cache for this client
    const warm = await installOnce(client, s.c, 'warm-up');
    if (warm.error) s.error = `warm-up failed: ${warm.error}`;
    console.error(`[bench] install | ${name} | ${s.c.system}: warm-up ${warm.seconds.toFixed(1)} s${warm.error ? ` (${warm.error})` : ''}`);
  }
  for (const s of state.filter((s) => !s.error && s.c.fault)) { // the cache is warm: now the upstream breaks
    const { pid, port } = systems.get(s.c.system);
    const base = `http://127.0.0.1:${port}`;
    s.hang = { fault: s.c.fault, ...configuredTimeouts(pid, client.family) };
    const connections = await faultConnections(fixture.control, s.c.faultSet);
    await setFault(fixture.control, s.c.faultSet, s.c.fault);
    const since = performance.now();
    s.faultSince = since;
    s.hang.sample_starts_s = []; // when each timed sample began, after the fault (before or after the trip)
    const first = await timeFirstRequest(base, client.family, trees[client.family]);
    // Watched while the samples run, and afterwards until the request timeout could have expired too.
    s.trip = watchTrip(base, client.family, since, (s.hang.headers_timeout_ms ?? 30_000) + 15_000);
    Object.assign(s.hang, { first_request_ms: first.ms, first_request_status: first.status, first_request_stale: first.stale, connectionsBefore: connections });
    console.error(`[bench] install | ${name} | ${s.c.system}: upstream ${s.c.fault}; first request ${first.ms.toFixed(0)} ms (${first.status}${first.stale ? ', stale' : ''})`);
  }
  for (let r = 0; r < rounds; r++) {
    const live = state.filter((s) => !s.error);
    for (let k = 0; k < live.length; k++) {
      const s = live[(r + k) % live.length];
      if (s.hang) s.hang.sample_starts_s.push((performance.now() - s.faultSince) / 1000);
      const before = await upstreamCount(client.family);
      const one = await installOnce(client, s.c, `sample-${r + 1}`);
      const reached = (await upstreamCount(client.family)) - before;
      s.upstream += reached;
      if (reached && s.upstreamExamples.length < 3) s.upstreamExamples.push(...(await upstreamRequests(client.family, before)).slice(0, 3 - s.upstreamExamples.length));
      s.rss = Math.max(s.rss, one.rss_mb);
      if (one.error) s.error = one.error;
      else {
        s.samples.push(one.seconds);
        s.cpu.push(one.server_cpu_s);
      }
      console.error(`[bench] install | ${name} | ${s.c.system}: ${one.seconds.toFixed(1)} s${one.error ? ` (${one.error})` : ''}`);
    }
  }
  for (const s of state.filter((s) => s.trip)) {
    s.hang.tripped_after_s = await s.trip;
    if (s.hang.tripped_after_s !== undefined) { // "later ones not at all": one more request, the breaker open
      const later = await timeFirstRequest(`http://127.0.0.1:${systems.get(s.c.system).port}`, client.family, trees[client.family]);
      Object.assign(s.hang, { after_trip_ms: later.ms, after_trip_status: later.status, after_trip_stale: later.stale });
    }
    s.hang.fault_connections = (await faultConnections(fixture.control, s.c.faultSet)) - s.hang.connectionsBefore;
    delete s.hang.connectionsBefore;
  }
  for (const s of state) {
    const t = summary(s.samples);
    const status = s.error && !t.n ? (s.error === 'not available' ? s.error : `failed: ${s.error}`) : s.error ? `errors: ${s.error}` : 'ok';
    rows.push({ group: s.c.group, case: s.c.name, client: name, system: s.c.system, status, samples: t.n,
      seconds: t.median, seconds_min: t.min, seconds_max: t.max, server_cpu_s: summary(s.cpu).median, rss_mb: s.rss || undefined, upstream_requests: s.upstream, upstream_examples: s.upstreamExamples, raw: s.samples, ...(s.hang ? { hang: s.hang } : {}) });
  }
}
// Client versions, for the table (a failing --version only leaves the cell empty).
const versionArgs = { npm: ['npm', ['--version']], pnpm: [process.execPath, [process.env.BENCH_PNPM ?? '', '--version']],
  pip: [path.join(process.env.BENCH_PY_VENV ?? '', 'bin', 'python'), ['-m', 'pip', '--version']], uv: [path.join(process.env.BENCH_PY_VENV ?? '', 'bin', 'uv'), ['--version']] };
const versions = {};
for (const name of byClient.keys()) {
  try {
    const out = execFileSync(...versionArgs[name], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: runDir } }).trim();
    versions[name] = out.replace(new RegExp(`^${name} `), '').split(' ')[0]; // "pip 26.3 from ...", "uv 0.13.8", "11.19.1"
  } catch { /* not installed */ }
}
writeFileSync(path.join(runDir, 'installs.json'), JSON.stringify({ rounds, rows, versions }, null, 2));
