// The benchmark matrix: which request goes to which system. A case whose system is not running is
// reported as "not available" rather than dropped, so the table always has the same shape.
// Kinds: wrk cases (benchCases, auditPairs), timed installs with real clients (installCases) and the
// scenarios of extras.sh (extraCases). BENCH_ONLY selects over "group | case | system" for all of them.
import { MANY_COUNT, MANY_FEW, manyName } from '../gen/gen-many.mjs';
import { BIG_NAME, SMALL_NAME } from '../gen/gen-big.mjs';
import { TREE_NODES } from '../gen/gen-tree-npm.mjs';
import { TREE_PROJECTS } from '../gen/gen-tree-pypi.mjs';
import { withBaselines } from './baselines.mjs';

export const NPM_CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
// What pip sends (PEP 691): JSON preferred, HTML accepted.
export const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
const FULL = { accept: 'application/json' };
const FORMS = [['full', FULL], ['abbreviated', { accept: NPM_CORGI }]];

const PYPI_PAGE_PATH = {
  devpi: (p) => `/bench/dev/+simple/${p}/`,
  proxpi: (p) => `/index/${p}/`,
};
const pagePath = (system, project) => (PYPI_PAGE_PATH[system] ?? ((p) => `/simple/${p}/`))(project);
const WHEEL = { project: 'bench-files-10', filename: 'bench_files_10-0.0.0-py3-none-any.whl' };
const WHEEL_PATH = `/files/${WHEEL.project}/${WHEEL.filename}`;
const TARBALLS = [['10 KB', 'bench-tar-10k'], ['200 KB', 'bench-tar-200k'], ['2 MB', 'bench-tar-2m']];
const tarballPath = (pkg) => `/${pkg}/-/${pkg}-0.0.0.tgz`;
export const BIG_CASE = '20 MB packument';
export const CONSOLE_GROUP = 'web console';
export const CONSOLE_P99_MS = 200;
/**
 * The web console's pages for the biggest package of each registry (the console issue: within 200 ms for 3,000
 * versions), the npm one also with every version listed: latency with 8 clients, a person and a few colleagues.
 */
export const CONSOLE_CASES = [
  { name: 'npm package page, 3,000 versions', system: 'ours-npm-fs', path: '/-/web/package/bench-v3000' },
  { name: 'npm package page, 3,000 versions, all listed', system: 'ours-npm-fs', path: '/-/web/package/bench-v3000?versions=all' },
  { name: 'PyPI project page, 2,000 files', system: 'ours-pypi-fs', path: '/-/web/project/bench-files-2000' },
];
export const MANY_GROUP = `${MANY_COUNT.toLocaleString('en')} packages`;
export const MANY_SIZES = [['few', MANY_FEW], ['10k', MANY_COUNT]];
const MANY_ONE = manyName(42); // present in both stores
// Verdaccio on 3,000 versions and devpi on 2,000 files answer in seconds under 32 connections: longer samples.
const SLOW_LOAD = { minSeconds: 6, timeout: 30 };
// A 20 MB body takes a Node process ~0.1-1 s and Verdaccio seconds: few connections, longer samples and timeouts.
const BIG_LOAD = { connections: 2, minSeconds: 8, timeout: 30 };
// Latency, not saturation: 8 clients; a store walk per request can take seconds, so long timeouts.
const MANY_LOAD = { connections: 8, minSeconds: 4, timeout: 30 };

/**
 * connections, minSeconds, timeout: per-case load (big bodies); background: a second load on the same server
 * during the sample; expect: the status the case must answer (default 200); fixture: needs the local upstream.
 * @returns {Array<{group: string, name: string, system: string, path?: string, headers?: object, resolve?: object,
 *   s3Key?: string, connections?: number, background?: object, expect?: number, fixture?: boolean}>}
 */
export function benchCases() {
  const cases = [];
  for (const n of [1, 300, 3000]) {
    for (const [form, headers] of FORMS) {
      for (const system of ['ours-npm-fs', 'verdaccio']) {
        cases.push({ group: 'npm packument', name: `${n} version${n > 1 ? 's' : ''}, ${form}`, system, path: `/bench-v${n}`, headers, ...(n === 3000 ? SLOW_LOAD : {}) });
      }
    }
  }
  // Pull-through: both proxies got these from the fixture upstream and serve them from their cache.
  for (const [form, headers] of FORMS) {
    for (const system of ['ours-npm-up', 'verdaccio']) {
      cases.push({ group: 'npm packument', name: `${BIG_CASE}, ${form}`, system, path: `/${BIG_NAME}`, headers, fixture: true, ...BIG_LOAD });
    }
  }
  for (const system of ['ours-npm-up', 'verdaccio']) {
    const small = { group: 'npm packument', system, path: `/${SMALL_NAME}`, headers: { accept: NPM_CORGI }, connections: 8, fixture: true };
    cases.push({ ...small, name: 'small, alone' });
    cases.push({ ...small, name: `small, while the ${BIG_CASE} is served`, minSeconds: BIG_LOAD.minSeconds,
      background: { path: `/${BIG_NAME}`, headers: FULL, connections: BIG_LOAD.connections, timeout: BIG_LOAD.timeout } });
  }
  for (const [label, pkg] of TARBALLS) {
    for (const system of ['ours-npm-fs', 'ours-npm-s3', 'verdaccio', 'node-static', 'nginx', 's3-direct']) {
      cases.push({ group: 'npm tarball', name: label, system, path: tarballPath(pkg), ...(system === 's3-direct' ? { s3Key: `static${tarballPath(pkg)}` } : {}) });
    }
  }
  for (const project of ['bench-files-10', 'bench-files-2000']) {
    for (const system of ['ours-pypi-fs', 'devpi', 'proxpi']) {
      cases.push({ group: 'pypi page', name: `${project.slice('bench-files-'.length)} files`, system, path: pagePath(system, project),
        headers: { accept: PIP_ACCEPT }, ...(project === 'bench-files-2000' ? SLOW_LOAD : {}) });
    }
  }
  for (const system of ['ours-pypi-fs', 'ours-pypi-s3', 'devpi', 'proxpi', 'node-static', 'nginx']) {
    const wheel = { group: 'pypi wheel', name: 'wheel ~100 KB', system };
    // Wheel URLs differ per index (devpi: +f/<hash>/...): take the link from the HTML project page.
    cases.push(system === 'devpi' || system === 'proxpi' ? { ...wheel, resolve: { page: pagePath(system, WHEEL.project), filename: WHEEL.filename } } : { ...wheel, path: WHEEL_PATH });
  }
  // Costs that must stay flat as the registry grows: the same requests on a store of MANY_FEW and of MANY_COUNT.
  for (const [size] of MANY_SIZES) {
    const many = (name, system, path, headers) => cases.push({ group: MANY_GROUP, name, system: `${system}-${size}`, path, headers, ...MANY_LOAD });
    many('npm search', 'ours-npm', '/-/v1/search?text=bench-many&size=20');
    many('npm packument of one', 'ours-npm', `/${MANY_ONE}`, { accept: NPM_CORGI });
    many('pypi root index', 'ours-pypi', '/simple/', { accept: PIP_ACCEPT });
    many('pypi page of one', 'ours-pypi', `/simple/${MANY_ONE}/`, { accept: PIP_ACCEPT });
  }
  for (const c of CONSOLE_CASES) cases.push({ group: CONSOLE_GROUP, ...c, connections: 8, minSeconds: 4 });
  // STORAGE_DOWNLOAD_REDIRECT=presigned: the proxy answers 302 to the object store; wrk does not follow it, so
  // these rows measure what the proxy itself spends per download in each mode.
  for (const [name, base, path] of [['npm tarball 200 KB', 'ours-npm-s3', tarballPath('bench-tar-200k')], ['pypi wheel ~100 KB', 'ours-pypi-s3', WHEEL_PATH]]) {
    cases.push({ group: 'redirect download', name, system: base, path });
    cases.push({ group: 'redirect download', name, system: `${base}-redirect`, path, expect: 302 });
  }
  return withBaselines(cases);
}

/**
 * Audit off vs on: the same request to two instances of a proxy on one store, one with AUDIT_GATEWAY_ADDR
 * (real gateway, real Kafka on the same cores). Sampled alternately like every other case.
 */
export function auditPairs() {
  return [
    { group: 'audit', name: 'npm packument 300 versions, abbreviated', off: 'ours-npm-fs', on: 'ours-npm-fs-audit', path: '/bench-v300', headers: { accept: NPM_CORGI } },
    { group: 'audit', name: 'npm tarball 10 KB', off: 'ours-npm-fs', on: 'ours-npm-fs-audit', path: tarballPath('bench-tar-10k') },
    { group: 'audit', name: 'pypi page 10 files', off: 'ours-pypi-fs', on: 'ours-pypi-fs-audit', path: '/simple/bench-files-10/', headers: { accept: PIP_ACCEPT } },
  ];
}

export const INSTALL_GROUP = 'install (warm proxy, cold client)';
/** Every client against every system of its ecosystem; the first system of each list is ours. */
export const INSTALL_SYSTEMS = { npm: ['ours-npm-up', 'verdaccio'], pypi: ['ours-pypi-up', 'devpi', 'proxpi-tree'] };
export function installCases() {
  const clients = [['npm', 'npm', `${TREE_NODES} packages`], ['pnpm', 'npm', `${TREE_NODES} packages`], ['pip', 'pypi', `${TREE_PROJECTS} wheels`], ['uv', 'pypi', `${TREE_PROJECTS} wheels`]];
  return [
    ...clients.flatMap(([client, family, what]) => INSTALL_SYSTEMS[family].map((system) => ({ group: INSTALL_GROUP, name: `${client} install, ${what}`, client, system, fixture: true }))),
    ...clients.filter(([client]) => HANGING_CLIENTS.includes(client)).flatMap(([client, family, what]) => Object.entries(HANGING_SYSTEMS[family])
      .map(([role, system]) => ({ group: HANGING_GROUP, name: `${client} install, ${what}`, client, system, fixture: true,
        faultSet: `${family}-${role}`, ...(role === 'hanging' ? { fault: 'hang-on-connect' } : {}) }))),
  ];
}

/**
 * The same warm installs through ours with every cached document past its TTL (revalidation due), once with a
 * healthy upstream and once with the upstream hanging on connect (a fault proxy, set by the driver after the
 * warm-up): the hanging one may take at most HANGING_MAX_RATIO times as long. faultSet: the fault
 * proxies in front of the instance (lib/fixture-upstream.mjs FAULT_SETS, the same names in lib/ours.sh).
 */
export const HANGING_GROUP = 'install, stale metadata, upstream healthy vs hanging';
export const HANGING_CLIENTS = ['npm', 'pip'];
export const HANGING_SYSTEMS = { npm: { healthy: 'ours-npm-stale', hanging: 'ours-npm-hang' }, pypi: { healthy: 'ours-pypi-stale', hanging: 'ours-pypi-hang' } };
export const HANGING_MAX_RATIO = 1.5;

/** The scenarios of extras.sh (one run each). */
export function extraCases() {
  return [
    { group: 'cold cache', name: 'npm 50 MB file, 100 clients', system: 'ours-npm-cold', extra: 'cold-npm' },
    { group: 'cold cache', name: 'pypi 50 MB file, 100 clients', system: 'ours-pypi-cold', extra: 'cold-pypi' },
    { group: 'audit gateway', name: 'events/s to Kafka', system: 'audit-throughput', extra: 'gateway' },
  ];
}

// BENCH_ONLY: a regular expression over "group | case | system" to run a subset while working on one path.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
export const isSelected = (c, system = c.system) => !only || only.test(`${c.group} | ${c.name} | ${system}`);

/** Systems the selected cases need, plus what those depend on (run.sh starts only these). */
export function neededSystems() {
  const needed = new Set();
  for (const c of [...benchCases(), ...installCases(), ...extraCases()].filter((c) => isSelected(c))) {
    needed.add(c.system);
    if (c.fixture) needed.add('fixture-upstream'); // pull-through cases: the local upstream they were filled from
  }
  for (const p of auditPairs()) if (isSelected(p, p.on) || isSelected(p, p.off)) needed.add(p.on).add(p.off);
  if (needed.has('ours-npm-fs-audit') || needed.has('ours-pypi-fs-audit')) needed.add('audit-gateway');
  if (needed.has('proxpi')) needed.add('devpi'); // its upstream
  // The shared Kafka/S3 services (tools/services): S3 for the s3-store rows, Kafka for the gateway.
  if ([...needed].some((s) => /s3|audit/.test(s))) needed.add('services');
  return [...needed].sort();
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2] === '--needed') console.log(neededSystems().join('\n'));
