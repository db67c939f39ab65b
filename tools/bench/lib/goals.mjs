// The goals of issue 8, evaluated on one run's results. A goal whose rows are missing reads
// "not measured", never "pass".
import { auditPairs } from './cases.mjs';

export const REFERENCE_OF = { 'npm packument': 'verdaccio', 'npm tarball': 'verdaccio', 'pypi page': 'devpi', 'pypi wheel': 'devpi' };

const find = (rows, group, name, system) => rows.find((r) => r.group === group && r.case === name && r.system === system && r.rps);

function ratioGoal(rows, goal, { group, name, ours, ref, min }) {
  const a = find(rows, group, name, ours);
  const b = find(rows, group, name, ref);
  if (!a || !b) return { goal, target: `≥ ${min}x`, measured: 'not measured', verdict: 'not measured' };
  const ratio = a.rps / b.rps;
  const verdict = ratio >= min ? 'pass' : `FAIL (${((1 - ratio / min) * 100).toFixed(0)}% short)`;
  return { goal, target: `≥ ${min}x`, measured: `${ratio.toFixed(2)}x (${a.rps.toFixed(0)} vs ${b.rps.toFixed(0)} req/s)`, verdict };
}

export function evaluateGoals({ rows, extra }) {
  const goals = [];
  for (const [n, min] of [[1, 4], [300, 15], [3000, 15]]) {
    for (const form of ['full', 'abbreviated']) {
      const name = `${n} version${n > 1 ? 's' : ''}, ${form}`;
      goals.push(ratioGoal(rows, `npm packument ${name} vs Verdaccio`, { group: 'npm packument', name, ours: 'ours-npm-fs', ref: 'verdaccio', min }));
    }
  }
  goals.push(ratioGoal(rows, 'tarball 10 KB vs Verdaccio', { group: 'npm tarball', name: '10 KB', ours: 'ours-npm-fs', ref: 'verdaccio', min: 3 }));
  goals.push(ratioGoal(rows, 'tarball 2 MB vs Verdaccio', { group: 'npm tarball', name: '2 MB', ours: 'ours-npm-fs', ref: 'verdaccio', min: 1.2 }));
  for (const size of ['10 KB', '200 KB', '2 MB']) {
    goals.push(ratioGoal(rows, `tarball ${size} via S3 store vs direct S3 GET`, { group: 'npm tarball', name: size, ours: 'ours-npm-s3', ref: 's3-direct', min: 0.6 }));
  }
  for (const name of ['10 files', '2000 files']) {
    goals.push(ratioGoal(rows, `PyPI page ${name} vs devpi`, { group: 'pypi page', name, ours: 'ours-pypi-fs', ref: 'devpi', min: 10 }));
  }
  for (const pair of auditPairs()) {
    const a = find(rows, pair.group, pair.name, pair.off);
    const b = find(rows, pair.group, pair.name, pair.on);
    const goal = `audit cost: ${pair.name}`;
    if (!a || !b) { goals.push({ goal, target: '≤ 10%', measured: 'not measured', verdict: 'not measured' }); continue; }
    const cost = (1 - b.rps / a.rps) * 100;
    goals.push({ goal, target: '≤ 10%', measured: `${cost.toFixed(1)}% (${b.rps.toFixed(0)} vs ${a.rps.toFixed(0)} req/s)`, verdict: cost <= 10 ? 'pass' : 'FAIL' });
  }
  for (const prefix of ['ours-npm', 'ours-pypi']) {
    const mine = rows.filter((r) => r.system.startsWith(prefix) && r.rss_mb);
    const max = mine.reduce((m, r) => (r.rss_mb > m.rss_mb ? r : m), { rss_mb: 0 });
    goals.push(mine.length
      ? { goal: `RSS under load, ${prefix}`, target: '≤ 200 MB', measured: `${max.rss_mb.toFixed(0)} MB (${max.group}, ${max.case}, ${max.system})`, verdict: max.rss_mb <= 200 ? 'pass' : 'FAIL' }
      : { goal: `RSS under load, ${prefix}`, target: '≤ 200 MB', measured: 'not measured', verdict: 'not measured' });
  }
  for (const name of ['cold-npm', 'cold-pypi']) {
    const c = extra[name];
    goals.push(c
      ? { goal: `cold cache ${name}: 100 clients, one 50 MB file`, target: '1 upstream fetch, all bodies intact',
          measured: `${c.upstream_fetches} fetch(es), ${c.ok}/${c.clients} ok, ${c.seconds.toFixed(1)} s, RSS ${c.rss_mb.toFixed(0)} MB`,
          verdict: c.upstream_fetches === 1 && c.ok === c.clients ? 'pass' : 'FAIL' }
      : { goal: `cold cache ${name}`, target: '1 upstream fetch', measured: 'not measured', verdict: 'not measured' });
  }
  return goals;
}
