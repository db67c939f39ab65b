// The performance goals, evaluated on one run's results. Every ratio is of medians (the bracket shows the
// range the samples allow: worst over best to best over worst); a goal whose rows are missing reads
// "not measured", never "pass". Verdict "reported" marks a measurement the issue asks to see without a target.
import { baselineOf } from './baselines.mjs';
import { auditPairs, BIG_CASE, CONSOLE_CASES, CONSOLE_GROUP, CONSOLE_P99_MS, HANGING_GROUP, HANGING_MAX_RATIO, HANGING_SYSTEMS, INSTALL_GROUP, MANY_GROUP } from './cases.mjs';

export const REFERENCE_OF = { 'npm packument': 'verdaccio', 'npm tarball': 'verdaccio', 'pypi page': 'devpi', 'pypi wheel': 'devpi' };
const RSS_LOAD_MB = 200;
const RSS_IDLE_MB = 100;

const find = (rows, group, name, system) => rows.find((r) => r.group === group && r.case === name && r.system === system && r.rps);
const notMeasured = (goal, target) => ({ goal, target, measured: 'not measured', verdict: 'not measured' });
const x = (v) => `${v.toFixed(2)}x`;
const range = (lo, hi) => (lo !== undefined && hi !== undefined ? ` [${lo.toFixed(2)}-${hi.toFixed(2)}]` : '');

function ratioGoal(rows, goal, { group, name, ours, ref, min, refLabel = ref }) {
  const a = find(rows, group, name, ours);
  const b = find(rows, group, name, ref);
  const target = `≥ ${min}x ${refLabel}`;
  if (!a || !b) return notMeasured(goal, target);
  const ratio = a.rps / b.rps;
  const verdict = ratio >= min ? 'pass' : `FAIL (${((1 - ratio / min) * 100).toFixed(0)}% short)`;
  return { goal, target, measured: `${x(ratio)}${range(a.rps_min / b.rps_max, a.rps_max / b.rps_min)} (${a.rps.toFixed(0)} vs ${b.rps.toFixed(0)} req/s)`, verdict };
}

function auditGoals(rows) {
  const goals = [];
  for (const pair of auditPairs()) {
    const off = find(rows, pair.group, pair.name, pair.off);
    const on = find(rows, pair.group, pair.name, pair.on);
    const cpuGoal = `audit CPU cost per request: ${pair.name}`;
    const rpsGoal = `audit throughput cost: ${pair.name}`;
    if (!off || !on) { goals.push(notMeasured(cpuGoal, '≤ 5%'), notMeasured(rpsGoal, '≤ 10%')); continue; }
    const cpu = off.cpu_us && on.cpu_us ? (on.cpu_us / off.cpu_us - 1) * 100 : undefined;
    goals.push(cpu === undefined ? notMeasured(cpuGoal, '≤ 5%') : {
      goal: cpuGoal, target: '≤ 5% of the proxy\'s own CPU', measured: `${cpu.toFixed(1)}% (${on.cpu_us.toFixed(0)} vs ${off.cpu_us.toFixed(0)} µs/req)`, verdict: cpu <= 5 ? 'pass' : 'FAIL',
    });
    const cost = (1 - on.rps / off.rps) * 100;
    goals.push({ goal: rpsGoal, target: '≤ 10% (gateway + Kafka on the same cores)', measured: `${cost.toFixed(1)}% (${on.rps.toFixed(0)} vs ${off.rps.toFixed(0)} req/s)`, verdict: cost <= 10 ? 'pass' : 'FAIL' });
  }
  return goals;
}

function rssGoals(rows, extra, installs) {
  const goals = [];
  // The cold-cache scenarios count too (peak RSS while 100 clients stream one 50 MB miss).
  const cold = Object.entries(extra).filter(([k, v]) => k.startsWith('cold-') && v?.rss_mb)
    .map(([k, v]) => ({ group: 'cold cache', case: '100 clients, one 50 MB file', system: `ours-${k.slice(5)}-cold`, rss_mb: v.rss_mb }));
  for (const prefix of ['ours-npm', 'ours-pypi']) {
    const mine = [...rows, ...cold, ...installs].filter((r) => r.system.startsWith(`${prefix}-`) && !baselineOf(r.system));
    for (const [field, limit, label] of [['rss_mb', RSS_LOAD_MB, 'under load'], ['rss_idle_mb', RSS_IDLE_MB, 'idle']]) {
      const measured = mine.filter((r) => r[field]);
      const max = measured.reduce((m, r) => (r[field] > m[field] ? r : m), { [field]: 0 });
      const goal = `RSS ${label}, ${prefix}, every case`;
      goals.push(measured.length
        ? { goal, target: `≤ ${limit} MB`, measured: `max ${max[field].toFixed(0)} MB (${max.group}, ${max.case}, ${max.system})`, verdict: max[field] <= limit ? 'pass' : 'FAIL' }
        : notMeasured(goal, `≤ ${limit} MB`));
    }
  }
  return goals;
}

function flatCostGoals(rows) {
  const limits = { 'npm search': 2, 'npm packument of one': 2, 'pypi root index': 10, 'pypi page of one': 2 };
  return Object.entries(limits).map(([name, limit]) => {
    const system = name.startsWith('npm') ? 'ours-npm' : 'ours-pypi';
    const few = find(rows, MANY_GROUP, name, `${system}-few`);
    const many = find(rows, MANY_GROUP, name, `${system}-10k`);
    const goal = `${MANY_GROUP}: ${name}, p99 vs a small store`;
    const target = `≤ ${limit}x${limit > 2 ? ' (the body lists every name)' : ''}`;
    const stuck = rows.find((r) => r.group === MANY_GROUP && r.case === name && r.system === `${system}-10k` && r.status.startsWith('no response'));
    if (few && stuck) return { goal, target, measured: `10,000-package store: ${stuck.status} (p99 at ${few.p99_ms.toFixed(1)} ms with the small one)`, verdict: 'FAIL' };
    if (!few || !many) return notMeasured(goal, target);
    const ratio = many.p99_ms / few.p99_ms;
    return { goal, target, measured: `${x(ratio)} (${many.p99_ms.toFixed(1)} vs ${few.p99_ms.toFixed(1)} ms p99; ${many.rps.toFixed(0)} vs ${few.rps.toFixed(0)} req/s)`, verdict: ratio <= limit ? 'pass' : 'FAIL' };
  });
}

function installGoals(installs) {
  const byClient = new Map();
  for (const r of installs.filter((r) => r.group === INSTALL_GROUP)) byClient.set(r.client, [...(byClient.get(r.client) ?? []), r]);
  return [...byClient].map(([client, list]) => {
    const goal = `warm install with ${client}: ours the fastest`;
    const ours = list.find((r) => r.system.startsWith('ours-') && r.seconds);
    const others = list.filter((r) => !r.system.startsWith('ours-') && r.seconds);
    if (!ours || !others.length) return notMeasured(goal, 'fastest of all');
    const cells = others.map((r) => `${r.system} ${r.seconds.toFixed(1)} s (${x(r.seconds / ours.seconds)})`);
    const missing = list.filter((r) => !r.seconds).map((r) => `${r.system}: ${r.status}`);
    return { goal, target: `fastest of ${list.map((r) => r.system).join(', ')}`, measured: `ours ${ours.seconds.toFixed(1)} s; ${[...cells, ...missing].join('; ')}`,
      verdict: others.every((r) => ours.seconds < r.seconds) ? 'pass' : 'FAIL' };
  });
}

/**
 * A warm install with the upstream hanging on connect takes at most HANGING_MAX_RATIO times as long as
 * with a healthy one (metadata past its TTL in both); the first request after the fault waits at most the
 * configured connect timeout.
 */
function hangingGoals(installs) {
  const goals = [];
  const clients = [...new Set(installs.filter((r) => r.group === HANGING_GROUP).map((r) => r.client))];
  for (const client of clients) {
    const mine = installs.filter((r) => r.group === HANGING_GROUP && r.client === client);
    const healthy = mine.find((r) => Object.values(HANGING_SYSTEMS).some((s) => s.healthy === r.system));
    const hanging = mine.find((r) => r.hang);
    const goal = `warm install with ${client}, stale metadata: upstream hanging on connect vs healthy`;
    const target = `≤ ${HANGING_MAX_RATIO}x`;
    if (!healthy?.seconds || !hanging?.seconds) {
      goals.push({ ...notMeasured(goal, target), ...(hanging && !hanging.seconds ? { measured: `${hanging.system}: ${hanging.status}`, verdict: 'FAIL' } : {}) });
    } else {
      const ratio = hanging.seconds / healthy.seconds;
      goals.push({ goal, target, measured: `${x(ratio)}${range(hanging.seconds_min / healthy.seconds_max, hanging.seconds_max / healthy.seconds_min)} (${hanging.seconds.toFixed(1)} vs ${healthy.seconds.toFixed(1)} s, medians of ${hanging.samples} and ${healthy.samples})`,
        verdict: ratio <= HANGING_MAX_RATIO ? 'pass' : 'FAIL' });
    }
    const h = hanging?.hang;
    const firstGoal = `first request after the fault, ${hanging?.system ?? client}`;
    if (!h?.first_request_ms || !h.connect_timeout_ms) { goals.push(notMeasured(firstGoal, '≤ the connect timeout')); continue; }
    const trip = h.tripped_after_s === undefined ? 'never marked unhealthy'
      : `marked unhealthy ${h.tripped_after_s.toFixed(1)} s after the fault, a request then ${h.after_trip_ms.toFixed(0)} ms (${h.after_trip_status}${h.after_trip_stale ? ', stale' : ''})`;
    goals.push({ goal: firstGoal, target: `≤ connect timeout (${h.connect_timeout_ms} ms)`,
      measured: `${h.first_request_ms.toFixed(0)} ms (${h.first_request_status}${h.first_request_stale ? ', stale' : ''}); upstream ${trip} (headers timeout ${h.headers_timeout_ms} ms); samples began ${h.sample_starts_s.map((t) => t.toFixed(0)).join(', ')} s after the fault; ${h.fault_connections} hung connections`,
      verdict: h.first_request_ms <= h.connect_timeout_ms && h.first_request_status === 200 ? 'pass' : 'FAIL' });
  }
  return goals;
}

function reported(rows) {
  const goals = [];
  for (const form of ['full', 'abbreviated']) {
    const g = ratioGoal(rows, `npm ${BIG_CASE}, ${form}, pull-through, vs Verdaccio`, { group: 'npm packument', name: `${BIG_CASE}, ${form}`, ours: 'ours-npm-up', ref: 'verdaccio', min: 1 });
    goals.push({ ...g, target: 'reported', verdict: g.verdict === 'not measured' ? g.verdict : 'reported' });
  }
  for (const system of ['ours-npm-up', 'verdaccio']) {
    const alone = find(rows, 'npm packument', 'small, alone', system);
    const loaded = find(rows, 'npm packument', `small, while the ${BIG_CASE} is served`, system);
    const goal = `p99 of a small packument while the ${BIG_CASE} is served, ${system}`;
    goals.push(alone && loaded ? { goal, target: 'reported', measured: `${loaded.p99_ms.toFixed(1)} ms vs ${alone.p99_ms.toFixed(1)} ms alone (${x(loaded.p99_ms / alone.p99_ms)})`, verdict: 'reported' } : notMeasured(goal, 'reported'));
  }
  for (const name of ['npm tarball 200 KB', 'pypi wheel ~100 KB']) {
    const base = name.startsWith('npm') ? 'ours-npm-s3' : 'ours-pypi-s3';
    const streaming = find(rows, 'redirect download', name, base);
    const redirect = rows.find((r) => r.group === 'redirect download' && r.case === name && r.system === `${base}-redirect`);
    const goal = `proxy CPU per download, presigned redirect vs streaming: ${name}`;
    if (redirect && !redirect.rps) goals.push({ goal, target: 'reported', measured: redirect.status, verdict: 'not available' });
    else if (!streaming?.cpu_us || !redirect?.cpu_us) goals.push(notMeasured(goal, 'reported'));
    else goals.push({ goal, target: 'reported', measured: `${redirect.cpu_us.toFixed(0)} vs ${streaming.cpu_us.toFixed(0)} µs/req (${x(redirect.cpu_us / streaming.cpu_us)}); ${redirect.rps.toFixed(0)} vs ${streaming.rps.toFixed(0)} req/s`, verdict: 'reported' });
  }
  return goals;
}

export function evaluateGoals({ rows, extra = {}, installs = [] }) {
  const goals = [];
  goals.push(ratioGoal(rows, 'PyPI wheel ~100 KB, cached, vs proxpi', { group: 'pypi wheel', name: 'wheel ~100 KB', ours: 'ours-pypi-fs', ref: 'proxpi', min: 1.5 }));
  goals.push(ratioGoal(rows, 'PyPI wheel ~100 KB, cached, vs node:http static', { group: 'pypi wheel', name: 'wheel ~100 KB', ours: 'ours-pypi-fs', ref: 'node-static', min: 1 }));
  for (const n of [1, 300, 3000]) {
    for (const form of ['full', 'abbreviated']) {
      const name = `${n} version${n > 1 ? 's' : ''}, ${form}`;
      goals.push(ratioGoal(rows, `npm packument ${name} vs Verdaccio`, { group: 'npm packument', name, ours: 'ours-npm-fs', ref: 'verdaccio', min: n === 1 ? 4 : 15 }));
    }
  }
  goals.push(ratioGoal(rows, 'npm tarball 10 KB vs Verdaccio', { group: 'npm tarball', name: '10 KB', ours: 'ours-npm-fs', ref: 'verdaccio', min: 4 }));
  goals.push(ratioGoal(rows, 'npm tarball 10 KB vs node:http static', { group: 'npm tarball', name: '10 KB', ours: 'ours-npm-fs', ref: 'node-static', min: 1.5 }));
  goals.push(ratioGoal(rows, 'npm tarball 2 MB vs Verdaccio', { group: 'npm tarball', name: '2 MB', ours: 'ours-npm-fs', ref: 'verdaccio', min: 1.2 }));
  for (const size of ['10 KB', '200 KB', '2 MB']) {
    goals.push(ratioGoal(rows, `npm tarball ${size} via S3 store vs direct S3 GET`, { group: 'npm tarball', name: size, ours: 'ours-npm-s3', ref: 's3-direct', min: 0.6 }));
  }
  for (const name of ['10 files', '2000 files']) {
    goals.push(ratioGoal(rows, `PyPI page ${name} vs devpi`, { group: 'pypi page', name, ours: 'ours-pypi-fs', ref: 'devpi', min: 10 }));
  }
  for (const { name, system } of CONSOLE_CASES) {
    const goal = `web console ${name}, p99 with 8 clients`;
    const r = find(rows, CONSOLE_GROUP, name, system);
    goals.push(r ? { goal, target: `≤ ${CONSOLE_P99_MS} ms`, measured: `${r.p99_ms.toFixed(1)} ms p99 (p50 ${r.p50_ms.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s)`, verdict: r.p99_ms <= CONSOLE_P99_MS ? 'pass' : 'FAIL' } : notMeasured(goal, `≤ ${CONSOLE_P99_MS} ms`));
  }
  goals.push(...auditGoals(rows), ...rssGoals(rows, extra, installs), ...flatCostGoals(rows), ...installGoals(installs), ...hangingGoals(installs));
  for (const name of ['cold-npm', 'cold-pypi']) {
    const c = extra[name];
    const goal = `cold cache ${name}: 100 clients, one 50 MB file`;
    const target = '1 upstream fetch, all bodies intact';
    goals.push(c
      ? { goal, target, measured: `${c.upstream_fetches} fetch(es), ${c.ok}/${c.clients} ok, ${c.seconds.toFixed(1)} s, RSS ${c.rss_mb.toFixed(0)} MB`,
          verdict: c.upstream_fetches === 1 && c.ok === c.clients ? 'pass' : 'FAIL' }
      : notMeasured(goal, target));
  }
  goals.push(...reported(rows));
  return goals;
}

/** The row a table row's ratio is taken against: a baseline's current build, its group's reference, the audit-off twin, the small store, the streaming twin. */
export function referenceSystem(row) {
  if (baselineOf(row.system)) return baselineOf(row.system).current;
  if (row.group === 'audit') return row.system.replace(/-audit$/, '');
  if (row.group === MANY_GROUP) return row.system.replace(/-10k$/, '-few');
  if (row.group === 'redirect download') return row.system.replace(/-redirect$/, '');
  return REFERENCE_OF[row.group];
}
