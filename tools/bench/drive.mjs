#!/usr/bin/env node
// Runs every selected wrk case of lib/cases.mjs against the systems run.sh started (listed in
// <run dir>/systems.txt and shared.txt) and writes <run dir>/results.json. The systems of one case (e.g.
// ours, Verdaccio, nginx for "tarball 10 KB") are sampled in turns, BENCH_SAMPLES rounds of BENCH_SECONDS each
// with the order rotated every round, so a noisy neighbour on the shared cores spreads over all of them.
// Usage: drive.mjs <run dir>
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { auditPairs, benchCases, isSelected } from './lib/cases.mjs';
import { measure, settle, treeStats } from './lib/measure.mjs';
import { median, summary } from './lib/stats.mjs';

const runDir = process.argv[2];
if (!runDir) throw new Error('usage: drive.mjs <run dir>');
const load = { seconds: Number(process.env.BENCH_SECONDS ?? 2), connections: Number(process.env.BENCH_CONNECTIONS ?? 32), threads: 2 };
const rounds = Math.max(1, Number(process.env.BENCH_SAMPLES ?? 3));
const listed = ['systems.txt', 'shared.txt'].map((f) => path.join(runDir, f)).filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n');
const systems = new Map(listed.trim().split('\n').filter(Boolean)
  .map((l) => l.split(' ')).map(([name, pid, port]) => [name, { pid: Number(pid), port: Number(port) }]));
const presign = (key) => execFileSync('node', [path.join(import.meta.dirname, 'lib/s3-objects.mjs'), 'presign', `${process.env.BENCH_S3_PREFIX}/${key}`], { encoding: 'utf8' }).trim();

/** Absolute URL of a case, or throws with the reason it cannot be built. */
async function urlOf(c, sys) {
  if (c.s3Key) return presign(c.s3Key);
  const base = `http://127.0.0.1:${sys.port}`;
  if (!c.resolve) return base + c.path;
  const page = await fetch(base + c.resolve.page, { headers: { accept: 'text/html' } });
  const html = await page.text();
  const href = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).find((h) => h.split('#')[0].split('/').pop() === c.resolve.filename);
  if (!href) throw new Error(`no link to ${c.resolve.filename} on ${c.resolve.page} (HTTP ${page.status})`);
  return new URL(href.split('#')[0], base + c.resolve.page).href;
}

class NotAvailable extends Error {}

/** One GET before the load: the case must answer its status (200, or 302 with a Location) with a body. */
async function precheck(c, url) {
  const res = await fetch(url, { headers: c.headers ?? {}, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  const expect = c.expect ?? 200;
  if (expect === 302 && res.status === 200) throw new NotAvailable('no redirect: this build does not accept STORAGE_DOWNLOAD_REDIRECT=presigned');
  if (res.status !== expect) throw new Error(`HTTP ${res.status} (expected ${expect}): ${body.toString('utf8', 0, 120)}`);
  if (expect === 302 && !res.headers.get('location')) throw new Error('302 without a Location');
  return { body_bytes: body.length, content_type: res.headers.get('content-type') ?? '', status_code: res.status };
}

const sampleOf = (m) => {
  const seconds = m.duration_us / 1e6;
  return {
    rps: m.requests / seconds, p50_ms: m.p50_us / 1000, p99_ms: m.p99_us / 1000, mb_s: m.bytes / seconds / 1e6,
    cpu_us: m.cpu_us_per_req, rss_mb: m.rss_kib / 1024, requests: m.requests,
    errors: m.err_connect + m.err_read + m.err_write + m.err_status + m.err_timeout,
    ...(m.background ? { background_rps: m.background.requests / (m.background.duration_us / 1e6) } : {}),
  };
};

async function prepare(c) {
  const row = { group: c.group, case: c.name, system: c.system };
  const sys = c.system === 's3-direct' ? systems.get('s3') : systems.get(c.system);
  if (!sys) return { row: { ...row, status: 'not available' } };
  try {
    await settle(sys.pid);
    const url = await urlOf(c, sys);
    const check = await precheck(c, url);
    const background = c.background ? { ...c.background, url: `http://127.0.0.1:${sys.port}${c.background.path}` } : undefined;
    const spec = { ...load, seconds: Math.max(load.seconds, c.minSeconds ?? 0), connections: c.connections ?? load.connections,
      timeout: c.timeout, url, headers: c.headers, pid: sys.pid, background };
    await measure({ ...spec, seconds: Math.max(1, c.minSeconds ?? 0) }); // warm-up: JIT, caches
    return { row: { ...row, ...check }, spec, samples: [] };
  } catch (err) {
    const reason = err.message.split('\n')[0].slice(0, 160);
    return { row: { ...row, status: err instanceof NotAvailable ? `not available: ${reason}` : `failed: ${reason}` } };
  }
}

function aggregate({ row, samples }) {
  if (!samples?.length) return row;
  const of = (k) => summary(samples.map((s) => s[k]));
  const rps = of('rps');
  const p99 = of('p99_ms');
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const empty = samples.filter((s) => !s.requests).length;
  const status = errors ? `errors: ${errors}` : empty ? `no response completed in ${empty} of ${samples.length} samples` : 'ok';
  return {
    ...row, status, samples: samples.length,
    rps: rps.median, rps_min: rps.min, rps_max: rps.max, p50_ms: of('p50_ms').median,
    p99_ms: p99.median, p99_min: p99.min, p99_max: p99.max, mb_s: of('mb_s').median, cpu_us: of('cpu_us').median,
    rss_mb: Math.max(...samples.map((s) => s.rss_mb)), background_rps: median(samples.map((s) => s.background_rps)),
    raw: samples,
  };
}

/** The systems of one case, sampled in turns (round r starts at system r). */
async function runGroup(cases) {
  const prepared = [];
  for (const c of cases) prepared.push(await prepare(c));
  const live = prepared.filter((p) => p.spec);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < live.length; k++) {
      const p = live[(r + k) % live.length];
      try {
        await settle(p.spec.pid);
        p.samples.push(sampleOf(await measure(p.spec)));
      } catch (err) {
        p.row.status = `failed: ${err.message.split('\n')[0].slice(0, 160)}`;
        p.spec = undefined;
      }
    }
  }
  // Idle: what the process keeps once this case's load is over and it has gone quiet.
  for (const p of live) {
    await settle(p.spec?.pid ?? 0);
    if (p.spec) p.row.rss_idle_mb = treeStats(p.spec.pid).rssKib / 1024;
  }
  return prepared.map(aggregate);
}

// Cases of the same group and name form one turn-taking set; audit pairs are two systems of one case.
const sets = new Map();
const add = (c) => {
  const key = `${c.group} | ${c.name}`;
  if (!sets.has(key)) sets.set(key, []);
  sets.get(key).push(c);
};
benchCases().filter((c) => isSelected(c)).forEach(add);
for (const pair of auditPairs()) {
  for (const system of [pair.off, pair.on]) if (isSelected(pair, system)) add({ ...pair, system });
}

// Every system's RSS before it served any request of this run (our proxies: a fresh process on a loaded store).
const idleAtStart = Object.fromEntries([...systems].map(([name, { pid }]) => [name, treeStats(pid).rssKib / 1024]));
const results = { started: new Date().toISOString(), load, rounds, idle_at_start_mb: idleAtStart, rows: [] };
for (const cases of sets.values()) {
  for (const row of await runGroup(cases)) {
    results.rows.push(row);
    const spread = row.rps ? ` ${row.rps.toFixed(0)} req/s (${row.rps_min.toFixed(0)}-${row.rps_max.toFixed(0)}), p99 ${row.p99_ms.toFixed(1)} ms` : '';
    console.error(`[bench] ${row.group} | ${row.case} | ${row.system}: ${row.status}${spread}`);
  }
}
results.finished = new Date().toISOString();
writeFileSync(path.join(runDir, 'results.json'), JSON.stringify(results, null, 2));
