#!/usr/bin/env node
// Runs every case of lib/cases.mjs against the systems run.sh started (listed in <run dir>/systems.txt),
// then the extra scenarios (cold cache, gateway events/s) when their scripts and systems are present.
// Writes <run dir>/results.json. Usage: drive.mjs <run dir>
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { auditPairs, benchCases } from './lib/cases.mjs';
import { measure } from './lib/measure.mjs';

const runDir = process.argv[2];
if (!runDir) throw new Error('usage: drive.mjs <run dir>');
const load = { seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: Number(process.env.BENCH_CONNECTIONS ?? 32), threads: 2 };
const listed = ['systems.txt', 'shared.txt'].map((f) => path.join(runDir, f)).filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n');
const systems = new Map(listed.trim().split('\n').filter(Boolean)
  .map((l) => l.split(' ')).map(([name, pid, port]) => [name, { pid: Number(pid), port: Number(port) }]));
const presign = (key) => execFileSync('node', [path.join(import.meta.dirname, 'lib/s3-objects.mjs'), 'presign', `${process.env.BENCH_S3_PREFIX}/${key}`], { encoding: 'utf8' }).trim();

/** Absolute URL of a case, or throws with the reason it cannot be built. */
async function urlOf(c, sys) {
  if (c.s3Key) return presign(c.s3Key);
  const base = `http://127.0.0.1:${sys.port}`;
  if (!c.resolve) return base + c.path;
  // Wheel URLs differ per index (devpi: +f/<hash>/...): take the link from the HTML project page.
  const page = await fetch(base + c.resolve.page, { headers: { accept: 'text/html' } });
  const html = await page.text();
  const href = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]).find((h) => h.split('#')[0].split('/').pop() === c.resolve.filename);
  if (!href) throw new Error(`no link to ${c.resolve.filename} on ${c.resolve.page} (HTTP ${page.status})`);
  return new URL(href.split('#')[0], base + c.resolve.page).href;
}

/** One GET before the load: the case must answer 200 with a body, or its numbers would mean nothing. */
async function precheck(url, headers) {
  const res = await fetch(url, { headers, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${body.toString('utf8', 0, 120)}`);
  return { bodyBytes: body.length, contentType: res.headers.get('content-type') ?? '' };
}

async function runCase(c, { warmUp = true } = {}) {
  const row = { group: c.group, case: c.name, system: c.system };
  const sys = c.system === 's3-direct' ? systems.get('s3') : systems.get(c.system);
  if (!sys) return { ...row, status: 'not available' };
  try {
    const url = await urlOf(c, sys);
    const check = await precheck(url, c.headers ?? {});
    if (warmUp) await measure({ ...load, seconds: 1, url, headers: c.headers, pid: sys.pid }); // JIT, caches
    const m = await measure({ ...load, url, headers: c.headers, pid: sys.pid });
    const errors = m.err_connect + m.err_read + m.err_write + m.err_status + m.err_timeout;
    const seconds = m.duration_us / 1e6;
    return {
      ...row, status: errors ? `errors: ${errors}` : 'ok', rps: m.requests / seconds,
      p50_ms: m.p50_us / 1000, p99_ms: m.p99_us / 1000, mb_s: m.bytes / seconds / 1e6,
      rss_mb: m.rss_kib / 1024, body_bytes: check.bodyBytes, content_type: check.contentType, requests: m.requests,
    };
  } catch (err) {
    return { ...row, status: `failed: ${err.message.split('\n')[0].slice(0, 160)}` };
  }
}

// BENCH_ONLY: a regular expression over "group | case | system" to run a subset while working on one path.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
const selected = (c, system = c.system) => !only || only.test(`${c.group} | ${c.name} | ${system}`);

const results = { started: new Date().toISOString(), load, rows: [] };
for (const c of benchCases().filter((c) => selected(c))) {
  const row = await runCase(c);
  results.rows.push(row);
  console.error(`[bench] ${row.group} | ${row.case} | ${row.system}: ${row.status}${row.rps ? ` ${row.rps.toFixed(0)} req/s` : ''}`);
}
for (const pair of auditPairs().filter((p) => selected(p, p.on) || selected(p, p.off))) {
  const best = {};
  for (const system of [pair.off, pair.on, pair.off, pair.on]) {
    const row = await runCase({ ...pair, system }, { warmUp: best[system] === undefined });
    if (!best[system] || (row.rps ?? 0) > (best[system].rps ?? 0)) best[system] = { ...row, runs: [...(best[system]?.runs ?? []), row.rps] };
    else best[system].runs.push(row.rps);
  }
  for (const row of Object.values(best)) {
    results.rows.push(row);
    console.error(`[bench] audit | ${row.case} | ${row.system}: ${row.status} runs ${row.runs.map((r) => (r ?? 0).toFixed(0)).join(', ')} req/s`);
  }
}
results.finished = new Date().toISOString();
writeFileSync(path.join(runDir, 'results.json'), JSON.stringify(results, null, 2));
