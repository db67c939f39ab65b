// The benchmark matrix: which request goes to which system. A case whose system is not running is
// reported as "not available" rather than dropped, so the table always has the same shape.
export const NPM_CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
// What pip sends (PEP 691): JSON preferred, HTML accepted.
export const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';

const PYPI_PAGE_PATH = {
  devpi: (p) => `/bench/dev/+simple/${p}/`,
  proxpi: (p) => `/index/${p}/`,
  'ours-pypi-fs': (p) => `/simple/${p}/`,
  'ours-pypi-fs-audit': (p) => `/simple/${p}/`,
};
const WHEEL = { project: 'bench-files-10', filename: 'bench_files_10-0.0.0-py3-none-any.whl' };
const TARBALLS = [['10 KB', 'bench-tar-10k'], ['200 KB', 'bench-tar-200k'], ['2 MB', 'bench-tar-2m']];

/** @returns {Array<{group: string, name: string, system: string, path?: string, headers?: object, resolve?: object, s3Key?: string}>} */
export function benchCases() {
  const cases = [];
  for (const n of [1, 300, 3000]) {
    for (const [form, headers] of [['full', { accept: 'application/json' }], ['abbreviated', { accept: NPM_CORGI }]]) {
      for (const system of ['ours-npm-fs', 'verdaccio']) {
        cases.push({ group: 'npm packument', name: `${n} version${n > 1 ? 's' : ''}, ${form}`, system, path: `/bench-v${n}`, headers });
      }
    }
  }
  for (const [label, pkg] of TARBALLS) {
    const path = `/${pkg}/-/${pkg}-0.0.0.tgz`;
    for (const system of ['ours-npm-fs', 'ours-npm-s3', 'verdaccio', 'node-static', 'nginx', 's3-direct']) {
      cases.push({ group: 'npm tarball', name: label, system, path, ...(system === 's3-direct' ? { s3Key: `static${path}` } : {}) });
    }
  }
  for (const project of ['bench-files-10', 'bench-files-2000']) {
    const files = project.slice('bench-files-'.length);
    for (const system of ['ours-pypi-fs', 'devpi', 'proxpi']) {
      cases.push({ group: 'pypi page', name: `${files} files`, system, path: PYPI_PAGE_PATH[system](project), headers: { accept: PIP_ACCEPT } });
    }
  }
  for (const system of ['ours-pypi-fs', 'devpi', 'proxpi', 'node-static', 'nginx']) {
    const wheel = 'wheel ~100 KB';
    cases.push(system === 'node-static' || system === 'nginx'
      ? { group: 'pypi wheel', name: wheel, system, path: `/files/${WHEEL.project}/${WHEEL.filename}` }
      : { group: 'pypi wheel', name: wheel, system, resolve: { page: PYPI_PAGE_PATH[system](WHEEL.project), filename: WHEEL.filename } });
  }
  return cases;
}

/**
 * Audit off vs on: the same request to two instances of a proxy on one store, one with AUDIT_GATEWAY_ADDR
 * (real gateway, real Kafka). Measured off, on, off, on and the better run of each kept, so that the order
 * of runs and a noisy neighbour on 2 cores weigh less than in a single pair.
 */
export function auditPairs() {
  return [
    { group: 'audit', name: 'npm packument 300 versions, abbreviated', off: 'ours-npm-fs', on: 'ours-npm-fs-audit', path: '/bench-v300', headers: { accept: NPM_CORGI } },
    { group: 'audit', name: 'npm tarball 10 KB', off: 'ours-npm-fs', on: 'ours-npm-fs-audit', path: '/bench-tar-10k/-/bench-tar-10k-0.0.0.tgz' },
    { group: 'audit', name: 'pypi page 10 files', off: 'ours-pypi-fs', on: 'ours-pypi-fs-audit', path: '/simple/bench-files-10/', headers: { accept: PIP_ACCEPT } },
  ];
}
