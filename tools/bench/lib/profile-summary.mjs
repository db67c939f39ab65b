#!/usr/bin/env node
// BENCH_PROFILE=1: turns the V8 CPU profiles our proxies wrote (node --cpu-prof, one directory per system)
// into what a reader needs next to the results: the profiles themselves, a folded-stack file per system
// ("a;b;c <samples>", the input of flamegraph.pl and speedscope) and the top self-time functions, with
// bundle positions mapped back to the TypeScript sources through the bundle's source map (node:module).
// Prints { dir, systems: [{ system, total_ms, idle_ms, top: [{ function, where, self_ms, self_pct }] }] }.
// Usage: profile-summary.mjs <profiles dir> <output dir>
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: profile-summary.mjs <profiles dir> <output dir>');
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const maps = new Map();

/** Source position of a bundle position ("libs/x/src/y.ts:12"), else the script's own path and line. */
function where({ url, lineNumber, columnNumber }) {
  if (!url) return '';
  if (!url.startsWith('file://')) return `${url}:${lineNumber + 1}`;
  const file = fileURLToPath(url);
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined);
  }
  const entry = maps.get(file)?.findEntry(lineNumber, columnNumber);
  if (entry?.originalSource) {
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
    return `${path.relative(repo, source)}:${entry.originalLine + 1}`;
  }
  return `${path.relative(repo, file)}:${lineNumber + 1}`;
}

function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  const hits = new Map();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  const label = (n) => n.callFrame.functionName || '(anonymous)';
  const functions = new Map();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (label(n) === '(idle)') { idleUs += us; continue; }
    totalUs += us;
    const key = `${label(n)}\t${where(n.callFrame)}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const top = [...functions].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([key, us]) => {
    const [fn, at] = key.split('\t');
    return { function: fn, where: at, self_ms: us / 1000, self_pct: totalUs ? (us / totalUs) * 100 : 0 };
  });
  const folded = new Map();
  for (const [id, count] of hits) {
    const stack = [];
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (label(n) !== '(root)') stack.push(label(n).replace(/[; ]/g, '_'));
    }
    const line = stack.reverse().join(';');
    if (line) folded.set(line, (folded.get(line) ?? 0) + count);
  }
  return { total_ms: totalUs / 1000, idle_ms: idleUs / 1000, top, folded: [...folded].map(([s, c]) => `${s} ${c}`).join('\n') };
}

mkdirSync(output, { recursive: true });
const systems = [];
for (const system of readdirSync(input).sort()) {
  const files = readdirSync(path.join(input, system)).filter((f) => f.endsWith('.cpuprofile'));
  for (const [i, file] of files.entries()) {
    const name = files.length > 1 ? `${system}-${i + 1}` : system;
    copyFileSync(path.join(input, system, file), path.join(output, `${name}.cpuprofile`));
    const s = summarize(JSON.parse(readFileSync(path.join(input, system, file), 'utf8')));
    writeFileSync(path.join(output, `${name}.folded`), `${s.folded}\n`);
    const table = ['| self ms | self % | function | where |', '|---:|---:|---|---|',
      ...s.top.map((t) => `| ${t.self_ms.toFixed(1)} | ${t.self_pct.toFixed(1)} | ${t.function} | ${t.where} |`)];
    writeFileSync(path.join(output, `${name}.top.md`), `# ${name}: top self time (${s.total_ms.toFixed(0)} ms busy, ${s.idle_ms.toFixed(0)} ms idle)\n\n${table.join('\n')}\n`);
    systems.push({ system: name, total_ms: s.total_ms, idle_ms: s.idle_ms, top: s.top });
  }
}
console.log(JSON.stringify({ dir: path.relative(repo, output), systems }));
