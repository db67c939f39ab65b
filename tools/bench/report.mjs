#!/usr/bin/env node
// Turns <run dir>/results.json (+ installs.json, extra-*.json, profiles.json) into the report: printed, and
// saved as <results dir>/latest.{md,json} and <results dir>/<UTC timestamp>.{md,json}. A full run (no
// BENCH_ONLY) also rewrites the latest-results block of tools/bench/README.md.
// Usage: report.mjs <run dir> <results dir>
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluateGoals, referenceSystem } from './lib/goals.mjs';
import { baselineSection } from './lib/baselines.mjs';
import { HANGING_GROUP, HANGING_SYSTEMS, INSTALL_SYSTEMS } from './lib/cases.mjs';

const [runDir, outDir] = process.argv.slice(2);
if (!runDir || !outDir) throw new Error('usage: report.mjs <run dir> <results dir>');
const readJson = (f, fallback) => (existsSync(path.join(runDir, f)) ? JSON.parse(readFileSync(path.join(runDir, f), 'utf8')) : fallback);
const results = readJson('results.json', { rows: [], load: {}, rounds: 0 });
const installs = readJson('installs.json', { rows: [], versions: {} });
results.installs = installs.rows;
results.client_versions = installs.versions;
results.extra = Object.fromEntries(readdirSync(runDir).filter((f) => /^extra-.+\.json$/.test(f)).flatMap((f) => {
  try { return [[f.slice(6, -5), JSON.parse(readFileSync(path.join(runDir, f), 'utf8'))]]; } catch { return []; }
}));
results.profiles = readJson('profiles.json', undefined);
results.machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version, kernel: os.release() };
results.loadavg = { start: readFileSync(path.join(runDir, 'loadavg-start.txt'), 'utf8').split(' ').slice(0, 3).join(' '), end: os.loadavg().map((l) => l.toFixed(2)).join(' ') };
results.command = `${process.env.BENCH_BASELINE ? `BENCH_BASELINE=${process.env.BENCH_BASELINE} ` : ''}${process.env.BENCH_ONLY ? `BENCH_ONLY='${process.env.BENCH_ONLY}' ` : ''}npm run bench`;
results.wall_seconds = Number(process.env.BENCH_WALL_SECONDS ?? NaN);
results.goals = evaluateGoals(results);

const f = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '' : v.toFixed(d));
const spread = (lo, hi, d = 0) => (lo === undefined ? '' : `${f(lo, d)}-${f(hi, d)}`);
function ratioCell(row) {
  const ref = results.rows.find((r) => r.group === row.group && r.case === row.case && r.system === referenceSystem(row));
  return ref?.rps && row.rps ? `${(row.rps / ref.rps).toFixed(2)}x` : '';
}
const { load } = results;
const wall = Number.isFinite(results.wall_seconds) ? `${Math.floor(results.wall_seconds / 60)} min ${results.wall_seconds % 60} s` : 'unknown';
const lines = [
  `# Benchmark results: ${results.finished ?? results.started ?? new Date().toISOString()}`,
  '',
  `Machine: ${results.machine.cpus} x ${results.machine.cpu}, ${results.machine.memory_gib} GiB, Node ${results.machine.node}, Linux ${results.machine.kernel}; load average ${results.loadavg.start} at the start, ${results.loadavg.end} at the end.`,
  `Command: \`${results.command}\` (wall time ${wall}). Load per case: wrk ${load.threads ?? 2} threads, ${load.connections ?? 32} connections (fewer where the row's case says so), ${results.rounds} samples of ${load.seconds} s per system, taken in turns with the other systems of the case (after a 1 s warm-up), all on 127.0.0.1.`,
  'req/s, p50, p99, MB/s and CPU are medians of the samples; "range" is the lowest-highest req/s. CPU = the server process tree\'s utime+stime per request (/proc). RSS load = VmRSS of the process tree, its maximum during the samples; RSS idle = VmRSS once the case\'s load is over and the process has gone quiet (what it keeps).',
  'Ratio = median req/s of the row ÷ that of its reference: npm rows Verdaccio, PyPI rows devpi, audit rows the same proxy with audit off, 10,000-package rows the 100-package store, redirect rows the streaming instance, `<system>@<rev>` rows (BENCH_BASELINE) the current build\'s system.',
  '',
  '| group | case | system | req/s | range | p50 ms | p99 ms | MB/s | CPU µs/req | RSS idle MB | RSS load MB | vs ref | status |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...results.rows.map((r) => `| ${r.group} | ${r.case} | ${r.system} | ${f(r.rps)} | ${spread(r.rps_min, r.rps_max)} | ${f(r.p50_ms, 2)} | ${f(r.p99_ms, 2)} | ${f(r.mb_s, 1)} | ${f(r.cpu_us)} | ${f(r.rss_idle_mb)} | ${f(r.rss_mb)} | ${ratioCell(r)} | ${r.status} |`),
  '',
];
if (results.installs.length) {
  const versions = Object.entries(results.client_versions ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push('## Warm installs with the real clients', '',
    `Clients: ${versions}. Each sample: a new HOME and config, an empty client cache, no lockfile, and the tree installed in full (checked: exactly the expected name@version set).`,
    `Warm proxy: before the timed samples each client installed the tree once through each system (untimed), so every packument, project page and file it asks for is in that system's cache; metadata TTLs are 1 h (ours: NPM_/PYPI_METADATA_TTL_SECONDS=3600; Verdaccio: uplink maxage 60m; devpi: mirror_cache_expiry=3600; proxpi: PROXPI_INDEX_TTL=3600). "upstream req" counts what the fixture upstream received during the timed samples (0 = fully warm). Systems: npm ${INSTALL_SYSTEMS.npm.join(', ')}; PyPI ${INSTALL_SYSTEMS.pypi.join(', ')}.`,
    `"${HANGING_GROUP}": ours with every cached document past its TTL (NPM_/PYPI_METADATA_TTL_MS=0), its upstream the fixture behind a fault proxy (@registry/shared-testing); for ${Object.values(HANGING_SYSTEMS).map((s) => s.hanging).join(' and ')} the proxy hangs on connect from after the warm-up on (the first request after the fault is timed alone, then the samples); "vs ours" is against the healthy row.`,
    'Server CPU = utime+stime of the system\'s process tree during one install (median); RSS = its peak during the timed installs.',
    '', '| case | system | median s | range s | samples | server CPU s | RSS MB | upstream req | vs ours | status |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...results.installs.map((r) => {
      const ours = results.installs.find((o) => o.client === r.client && o.group === r.group && o.system.startsWith('ours-') && o.seconds);
      const upstream = r.upstream_requests ? `${r.upstream_requests} (${r.upstream_examples.map((e) => `\`${e}\``).join(', ')})` : '0';
      return `| ${r.case} | ${r.system} | ${f(r.seconds, 1)} | ${spread(r.seconds_min, r.seconds_max, 1)} | ${r.samples} | ${f(r.server_cpu_s, 1)} | ${f(r.rss_mb)} | ${upstream} | ${ours && r.seconds ? `${(r.seconds / ours.seconds).toFixed(2)}x` : ''} | ${r.status} |`;
    }), '');
}
lines.push(...baselineSection(results.rows));
lines.push('## Goals', '', '| goal | target | measured | verdict |', '|---|---|---|---|',
  ...results.goals.map((g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${g.verdict} |`), '');
const startIdle = Object.entries(results.idle_at_start_mb ?? {}).filter(([k]) => k.startsWith('ours-'));
if (startIdle.length) lines.push('## RSS of our proxies before any request', '', startIdle.map(([k, v]) => `${k} ${v.toFixed(0)} MB`).join(', '), '');
const extras = Object.entries(results.extra);
if (extras.length) lines.push('## Other measurements', '', ...extras.map(([k, v]) => `- ${k}: \`${JSON.stringify(v)}\``), '');
if (results.profiles) {
  lines.push('## CPU profiles (BENCH_PROFILE=1)', '', `Written to \`${results.profiles.dir}\` (open a .cpuprofile in Chrome DevTools or speedscope; the .folded files feed flamegraph.pl).`, '');
  for (const p of results.profiles.systems) {
    lines.push(`### ${p.system}: ${p.total_ms.toFixed(0)} ms sampled, top self time`, '', '| self ms | self % | function | where |', '|---:|---:|---|---|',
      ...p.top.slice(0, 15).map((t) => `| ${t.self_ms.toFixed(0)} | ${t.self_pct.toFixed(1)} | ${t.function} | ${t.where} |`), '');
  }
}
const markdown = lines.join('\n');
process.stdout.write(`${markdown}\n`);
mkdirSync(outDir, { recursive: true });
const stamp = (results.finished ?? results.started ?? new Date().toISOString()).replace(/[:]/g, '').replace(/\..*/, 'Z');
for (const base of ['latest', stamp]) {
  writeFileSync(path.join(outDir, `${base}.md`), markdown);
  writeFileSync(path.join(outDir, `${base}.json`), JSON.stringify(results, null, 2));
}
// The bench README shows the latest full run: replace what is between its markers (subset runs leave it).
const readme = path.join(import.meta.dirname, 'README.md');
const text = readFileSync(readme, 'utf8');
const start = '<!-- bench:latest -->';
const end = '<!-- /bench:latest -->';
if (!process.env.BENCH_ONLY && text.includes(start) && text.includes(end)) {
  const body = markdown.replace(/^# /, '### ');
  writeFileSync(readme, `${text.slice(0, text.indexOf(start) + start.length)}\n${body}\n${text.slice(text.indexOf(end))}`);
}
