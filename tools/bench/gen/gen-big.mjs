// A 20 MB packument shaped like a big web framework's (thousands of stable, canary and rc releases, each
// manifest with dependencies, peer and optional platform binaries, bin, engines, publisher fields), served
// by the fixture upstream as BIG_NAME. Versions are added until the JSON the fixture serves reaches BIG_BYTES.
// SMALL_NAME is a one-version package beside it: the small request whose latency is watched while BIG_NAME is served.
// Layout: <out>/big/index.json [{ name, distTags, versions: { v: { manifest, file } } }, ...] and <out>/big/tarballs/.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { npmTarball } from './archive.mjs';
import { intBetween, prng } from './prng.mjs';

export const BIG_NAME = 'tree-big-framework';
export const SMALL_NAME = 'tree-big-small';
export const BIG_BYTES = 20 * 1024 * 1024;
const DIST_BYTES = 300; // what the fixture adds per version: dist.tarball, shasum, integrity, and the time entry
const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-arm64-gnu', 'linux-arm64-musl', 'linux-x64-gnu', 'linux-x64-musl',
  'win32-arm64-msvc', 'win32-ia32-msvc', 'win32-x64-msvc'];
const people = (rand, n) => Array.from({ length: n }, (_, i) => ({ name: `maintainer-${(i * 7 + intBetween(rand, 0, 40)) % 50}`, email: `m${i}@example.test` }));

function versionAt(i) {
  const major = 9 + Math.floor(i / 400);
  const minor = Math.floor(i / 40) % 10;
  const patch = Math.floor(i / 8) % 5;
  const kind = i % 8; // most published versions of such packages are pre-releases
  return kind < 5 ? `${major}.${minor}.${patch}-canary.${i % 40}` : kind < 7 ? `${major}.${minor}.${patch}-rc.${kind}` : `${major}.${minor}.${patch}`;
}

function manifestOf(rand, version) {
  const swc = Object.fromEntries(PLATFORMS.map((p) => [`@tree-big/swc-${p}`, version]));
  return {
    name: BIG_NAME, version, description: 'The generated framework of the benchmark (a big real-world packument)',
    main: './dist/server/index.js', types: 'index.d.ts', license: 'MIT', bin: { [BIG_NAME]: 'dist/bin/cli' },
    homepage: 'https://example.test/framework', repository: { type: 'git', url: 'git+https://example.test/framework.git' },
    bugs: { url: 'https://example.test/framework/issues' }, engines: { node: '>=18.17.0' },
    dependencies: { '@tree-big/env': version, '@tree-big/helpers': '0.5.5', busboy: '1.6.0', 'caniuse-lite': '^1.0.30001579',
      'graceful-fs': '^4.2.11', postcss: '8.4.31', 'styled-jsx': '5.1.1' },
    peerDependencies: { react: '^18.2.0', 'react-dom': '^18.2.0', sass: '^1.3.0', '@opentelemetry/api': '^1.1.0', '@playwright/test': '^1.41.2' },
    peerDependenciesMeta: { sass: { optional: true }, '@opentelemetry/api': { optional: true }, '@playwright/test': { optional: true } },
    optionalDependencies: swc,
    devDependencies: Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`@tree-big/dev-tool-${k}`, `^${intBetween(rand, 1, 9)}.${intBetween(rand, 0, 20)}.0`])),
    scripts: { dev: 'taskr', release: 'taskr release', build: 'pnpm release', prepublishOnly: 'cd ../../ && turbo run build' },
    gitHead: createHash('sha1').update(version).digest('hex'), _id: `${BIG_NAME}@${version}`,
    _nodeVersion: '20.11.0', _npmVersion: '10.2.4', _npmUser: { name: 'framework-bot', email: 'bot@example.test' },
    maintainers: people(rand, 8), directories: {}, _hasShrinkwrap: false,
    _npmOperationalInternal: { host: 's3://npm-registry-packages', tmp: `tmp/${BIG_NAME}_${version}_${1700000000000 + intBetween(rand, 0, 1e9)}` },
  };
}

export function generateBig(outDir) {
  const rand = prng(1803);
  const dir = path.join(outDir, 'big');
  mkdirSync(path.join(dir, 'tarballs'), { recursive: true });
  const versions = {};
  let bytes = 1000;
  let last;
  for (let i = 0; bytes < BIG_BYTES; i++) {
    const version = versionAt(i);
    const manifest = manifestOf(rand, version);
    const file = `${BIG_NAME}-${version}.tgz`;
    writeFileSync(path.join(dir, 'tarballs', file), npmTarball([{ path: 'package.json', data: Buffer.from(JSON.stringify({ name: BIG_NAME, version })) }]));
    versions[version] = { manifest, file };
    bytes += JSON.stringify(manifest).length + version.length + DIST_BYTES;
    if (!version.includes('-')) last = version;
  }
  const all = Object.keys(versions);
  const distTags = { latest: last, canary: all.findLast((v) => v.includes('canary')), rc: all.findLast((v) => v.includes('-rc')) };
  const small = { ...manifestOf(rand, '1.0.0'), name: SMALL_NAME, _id: `${SMALL_NAME}@1.0.0`, devDependencies: {}, optionalDependencies: {} };
  const smallFile = `${SMALL_NAME}-1.0.0.tgz`;
  writeFileSync(path.join(dir, 'tarballs', smallFile), npmTarball([{ path: 'package.json', data: Buffer.from(JSON.stringify(small)) }]));
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify([
    { name: BIG_NAME, distTags, versions },
    { name: SMALL_NAME, distTags: { latest: '1.0.0' }, versions: { '1.0.0': { manifest: small, file: smallFile } } },
  ]));
}
