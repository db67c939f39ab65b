// BENCH_BASELINE=<rev>[,<rev>...]: our proxies built from other git revisions, measured in the same run as
// extra systems `ours-npm-fs@<short rev>` / `ours-pypi-fs@<short rev>` beside ours-npm-fs / ours-pypi-fs (same
// data, same turns), so a change's acceptance can be "no regression beyond noise" read side by side.
// run.sh resolves the revisions into BENCH_BASELINE_REVS (short hashes, space-separated); lib/baselines.sh
// builds and starts them. Each case of the current fs systems gets one row per revision, except the ones whose
// data the baselines' stores leave out (BASELINE_LEFT_OUT: their loads are serial chains that take minutes).

/** The systems that get a baseline twin, and the packages each baseline store leaves out (lib/baselines.sh). */
export const BASELINE_SYSTEMS = ['ours-npm-fs', 'ours-pypi-fs'];
export const BASELINE_LEFT_OUT = { npm: ['bench-v3000'], pypi: ['bench-files-2000'] };

export const baselineRevs = () => (process.env.BENCH_BASELINE_REVS ?? '').split(/\s+/).filter(Boolean);

/** `ours-npm-fs@0a1b2d2` → { current: 'ours-npm-fs', rev: '0a1b2d2' }; undefined for a system of this build. */
export function baselineOf(system) {
  const at = system.indexOf('@');
  return at < 0 ? undefined : { current: system.slice(0, at), rev: system.slice(at + 1) };
}

const leftOut = Object.values(BASELINE_LEFT_OUT).flat();
const readsLeftOut = (c) => leftOut.some((name) => `${c.path ?? ''} ${c.resolve?.page ?? ''}`.includes(`/${name}`));

/** The cases, each case of a baselined system followed by its twins (one per revision), which take turns with it. */
export function withBaselines(cases) {
  const revs = baselineRevs();
  if (revs.length === 0) return cases;
  return cases.flatMap((c) => (BASELINE_SYSTEMS.includes(c.system) && !readsLeftOut(c) ? [c, ...revs.map((rev) => ({ ...c, system: `${c.system}@${rev}` }))] : [c]));
}

/**
 * The report's section: each baseline row against the current build's row of the same case. Ratios are
 * current ÷ baseline (req/s above 1: faster now; p99 and CPU per request below 1: better now); "overlap" says
 * whether the req/s ranges of the samples overlap (then the difference is within this machine's noise).
 */
export function baselineSection(rows) {
  const pairs = rows.filter((r) => baselineOf(r.system) && r.rps).map((base) => ({
    base, now: rows.find((r) => r.group === base.group && r.case === base.case && r.system === baselineOf(base.system).current && r.rps),
  })).filter((p) => p.now);
  if (pairs.length === 0) return [];
  const f = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '');
  const overlap = (a, b) => (a.rps_min <= b.rps_max && b.rps_min <= a.rps_max ? 'yes' : 'no');
  return [
    '## This build vs other revisions (BENCH_BASELINE)', '',
    'Each revision\'s apps, built from that commit (lib/baselines.sh), on its own store loaded with the same data through its own API, sampled in turns with the current build. Ratios: current ÷ revision (req/s > 1: faster now; p99 and CPU µs/req < 1: better now). "ranges overlap": the req/s ranges of the samples overlap, i.e. the difference is within this machine\'s noise.',
    '', '| group | case | system | rev req/s | now req/s | req/s now÷rev | p99 now÷rev | CPU µs/req rev | CPU µs/req now | CPU now÷rev | ranges overlap |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...pairs.map(({ base, now }) => `| ${base.group} | ${base.case} | ${base.system} | ${f(base.rps, 0)} | ${f(now.rps, 0)} | ${f(now.rps / base.rps)}x | ${f(now.p99_ms / base.p99_ms)}x | ${f(base.cpu_us, 0)} | ${f(now.cpu_us, 0)} | ${f(now.cpu_us / base.cpu_us)}x | ${overlap(base, now)} |`),
    '', ...betweenRevisions(rows, f, overlap),
  ];
}

/** With several revisions (a change's parent and its merge): each later one ÷ the first, the same columns. */
function betweenRevisions(rows, f, overlap) {
  const [first, ...later] = baselineRevs();
  const pairs = later.flatMap((rev) => rows.filter((r) => baselineOf(r.system)?.rev === rev && r.rps).map((r) => ({
    r, base: rows.find((b) => b.group === r.group && b.case === r.case && b.system === `${baselineOf(r.system).current}@${first}` && b.rps),
  }))).filter((p) => p.base);
  if (pairs.length === 0) return [];
  return [
    `### Later revisions vs ${first}`, '', `Ratios: revision ÷ ${first}, as above.`, '',
    `| group | case | system | ${first} req/s | rev req/s | req/s rev÷${first} | p99 rev÷${first} | CPU µs/req ${first} | CPU µs/req rev | CPU rev÷${first} | ranges overlap |`,
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...pairs.map(({ r, base }) => `| ${r.group} | ${r.case} | ${r.system} | ${f(base.rps, 0)} | ${f(r.rps, 0)} | ${f(r.rps / base.rps)}x | ${f(r.p99_ms / base.p99_ms)}x | ${f(base.cpu_us, 0)} | ${f(r.cpu_us, 0)} | ${f(r.cpu_us / base.cpu_us)}x | ${overlap(base, r)} |`),
    '',
  ];
}
