#!/usr/bin/env node
// Turns <run dir>/results.json (+ extra-*.json) into the table: printed, and saved as
// <results dir>/latest.{md,json} and <results dir>/<UTC timestamp>.{md,json}. Usage: report.mjs <run dir> <results dir>
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluateGoals, REFERENCE_OF } from './lib/goals.mjs';

const [runDir, outDir] = process.argv.slice(2);
if (!runDir || !outDir) throw new Error('usage: report.mjs <run dir> <results dir>');
const results = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8'));
results.extra = Object.fromEntries(readdirSync(runDir).filter((f) => /^extra-.+\.json$/.test(f)).flatMap((f) => {
  try { return [[f.slice(6, -5), JSON.parse(readFileSync(path.join(runDir, f), 'utf8'))]]; } catch { return []; }
}));
results.machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version, kernel: os.release() };
results.command = 'npm run bench';
results.goals = evaluateGoals(results);

const f = (v, d = 0) => (v === undefined || Number.isNaN(v) ? '' : v.toFixed(d));
const rowsOf = (group, name) => results.rows.filter((r) => r.group === group && r.case === name);
function ratioCell(row) {
  const ref = rowsOf(row.group, row.case).find((r) => r.system === REFERENCE_OF[row.group]);
  return ref?.rps && row.rps ? `${(row.rps / ref.rps).toFixed(2)}x` : '';
}

const lines = [
  `# Benchmark results: ${results.finished ?? results.started}`,
  '',
  `Machine: ${results.machine.cpus} x ${results.machine.cpu}, ${results.machine.memory_gib} GiB, Node ${results.machine.node}, Linux ${results.machine.kernel}.`,
  `Command: \`${results.command}\`. Load per case: wrk ${results.load.threads} threads, ${results.load.connections} connections, ${results.load.seconds} s (after a 1 s warm-up), all on 127.0.0.1.`,
  'Ratio = req/s of the row ÷ req/s of the reference of its group (npm: Verdaccio; PyPI: devpi). RSS = max VmRSS of the server process tree during the run.',
  '',
  '| group | case | system | req/s | p50 ms | p99 ms | MB/s | RSS MB | vs ref | status |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---|',
  ...results.rows.map((r) => `| ${r.group} | ${r.case} | ${r.system} | ${f(r.rps)} | ${f(r.p50_ms, 2)} | ${f(r.p99_ms, 2)} | ${f(r.mb_s, 1)} | ${f(r.rss_mb)} | ${ratioCell(r)} | ${r.status} |`),
  '',
  '## Goals',
  '',
  '| goal | target | measured | verdict |',
  '|---|---|---|---|',
  ...results.goals.map((g) => `| ${g.goal} | ${g.target} | ${g.measured} | ${g.verdict} |`),
  '',
  '## Other measurements',
  '',
  ...Object.entries(results.extra).map(([k, v]) => `- ${k}: \`${JSON.stringify(v)}\``),
  '',
];
const markdown = lines.join('\n');
process.stdout.write(`${markdown}\n`);
mkdirSync(outDir, { recursive: true });
const stamp = (results.finished ?? results.started).replace(/[:]/g, '').replace(/\..*/, 'Z');
for (const base of ['latest', stamp]) {
  writeFileSync(path.join(outDir, `${base}.md`), markdown);
  writeFileSync(path.join(outDir, `${base}.json`), JSON.stringify(results, null, 2));
}
// The README shows the latest table (issue 8): replace what is between its markers.
const readme = path.join(import.meta.dirname, 'README.md');
const text = readFileSync(readme, 'utf8');
const start = '<!-- bench:latest -->';
const end = '<!-- /bench:latest -->';
if (text.includes(start) && text.includes(end)) {
  const body = markdown.replace(/^# /, '### ');
  writeFileSync(readme, `${text.slice(0, text.indexOf(start) + start.length)}\n${body}\n${text.slice(text.indexOf(end))}`);
}
