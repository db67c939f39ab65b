// Generates the npm benchmark data set: real packuments (full form, as a registry stores them) and real
// tarballs. Packages: bench-v1 / bench-v300 / bench-v3000 (1, 300, 3,000 versions, small tarballs) and
// bench-tar-10k / bench-tar-200k / bench-tar-2m (one version whose tarball is 10 KB / 200 KB / 2 MB).
// Layout: <out>/npm/<name>/package.json (tarball URLs on BASE_PLACEHOLDER) and <out>/npm/<name>/<file>.tgz
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { npmTarball } from './archive.mjs';

export const BASE_PLACEHOLDER = 'http://registry.invalid';
export const NPM_PACKAGES = [
  { name: 'bench-v1', versions: 1, payload: 1024 },
  { name: 'bench-v300', versions: 300, payload: 256 },
  { name: 'bench-v3000', versions: 3000, payload: 256 },
  { name: 'bench-tar-10k', versions: 1, payload: 10 * 1024 },
  { name: 'bench-tar-200k', versions: 1, payload: 200 * 1024 },
  { name: 'bench-tar-2m', versions: 1, payload: 2 * 1024 * 1024 },
];

const user = { name: 'bench', email: 'bench@example.test' };
const versionOf = (i) => `${Math.floor(i / 100)}.${Math.floor(i / 10) % 10}.${i % 10}`;
const dependenciesOf = (i) =>
  Object.fromEntries(Array.from({ length: 6 }, (_, d) => [`dep-${d}-${(i + d) % 40}`, `^${1 + (d % 3)}.${i % 7}.0`]));

function manifestOf(name, version, i) {
  return {
    name, version, description: `Benchmark package ${name}, release ${version}`,
    main: 'index.js', types: 'index.d.ts', license: 'MIT',
    keywords: ['bench', 'registry', 'fixture'],
    homepage: `https://example.test/${name}#readme`,
    repository: { type: 'git', url: `git+https://example.test/${name}.git` },
    bugs: { url: `https://example.test/${name}/issues` },
    author: user,
    engines: { node: '>=18' },
    scripts: { build: 'tsc -p .', test: 'node --test', lint: 'eslint .' },
    dependencies: dependenciesOf(i),
    devDependencies: { typescript: '^5.4.0', eslint: '^9.0.0', '@types/node': '^20.0.0' },
    peerDependencies: i % 3 === 0 ? { react: '>=17' } : undefined,
    gitHead: createHash('sha1').update(`${name}@${version}`).digest('hex'),
    _id: `${name}@${version}`, _nodeVersion: '20.11.0', _npmVersion: '10.5.0', _npmUser: user,
    maintainers: [user],
  };
}

function tarballFor(manifest, payload) {
  const pkgJson = Buffer.from(JSON.stringify({ ...manifest, _id: undefined, _npmUser: undefined }, null, 2));
  // Random payload: incompressible, so the .tgz is about the requested size.
  return npmTarball([{ path: 'package.json', data: pkgJson }, { path: 'payload.bin', data: randomBytes(payload) }]);
}

/** Writes one package ({ name, versions, payload }) under <outDir>/<name>. */
export function generatePackage(outDir, spec) {
  const dir = path.join(outDir, spec.name);
  mkdirSync(dir, { recursive: true });
  const versions = {};
  const time = { created: '2024-01-01T00:00:00.000Z' };
  let last;
  for (let i = 0; i < spec.versions; i++) {
    const version = versionOf(i);
    const manifest = manifestOf(spec.name, version, i);
    const tgz = tarballFor(manifest, spec.payload);
    const file = `${spec.name}-${version}.tgz`;
    writeFileSync(path.join(dir, file), tgz);
    manifest.dist = {
      tarball: `${BASE_PLACEHOLDER}/${spec.name}/-/${file}`,
      shasum: createHash('sha1').update(tgz).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(tgz).digest('base64')}`,
      fileCount: 2, unpackedSize: spec.payload + 1200,
    };
    versions[version] = manifest;
    time[version] = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString();
    last = manifest;
  }
  time.modified = time[last.version];
  const packument = {
    _id: spec.name, _rev: `${spec.versions}-${createHash('md5').update(spec.name).digest('hex').slice(0, 16)}`,
    name: spec.name, description: last.description, 'dist-tags': { latest: last.version },
    versions, time, maintainers: [user], author: user, license: 'MIT', keywords: last.keywords,
    repository: last.repository, homepage: last.homepage, bugs: last.bugs,
    readme: `# ${spec.name}\n\n${'Benchmark fixture text. '.repeat(200)}\n`, readmeFilename: 'README.md', users: {},
  };
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packument));
}

/** Writes every package under <outDir>/npm. */
export function generateNpm(outDir) {
  for (const spec of NPM_PACKAGES) generatePackage(path.join(outDir, 'npm'), spec);
}
