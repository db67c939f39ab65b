// The PyPI half of the "what users feel" data set: TREE_PROJECTS wheels shaped like a data-science stack (a
// few multi-megabyte "native" cores, a layer of mid-size libraries, many small pure-Python helpers), linked by
// Requires-Dist into a DAG reached from TREE_TOP top-level requirements, each project page also listing older
// releases nobody installs. Wheels are real (stored ZIP, METADATA, WHEEL, RECORD with hashes) and served with
// their PEP 658 metadata. Payloads are binary files, so pip's byte-compilation does not dominate.
// Layout: <out>/tree/pypi/index.json { requirements, projects: { name: [{ filename, version }] }, expected:
// ["name==version", ...] } and <out>/tree/pypi/files/<filename> (+ <filename>.metadata for installed wheels).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { storedZip } from './archive.mjs';
import { intBetween, logNormal, prng } from './prng.mjs';

export const TREE_PROJECTS = 60;
export const TREE_TOP = 12;
const BIG_MB = [9, 6, 5, 4, 3, 2.5, 2, 1.5]; // the "native" cores
const WORDS = ['array', 'frame', 'plot', 'stats', 'learn', 'io', 'tz', 'dateutil', 'six', 'yaml', 'json', 'http', 'sql',
  'arrow', 'parquet', 'image', 'font', 'kernel', 'widgets', 'notebook', 'jinja', 'markup', 'click', 'rich', 'tqdm', 'numba'];

const b64 = (buf) => createHash('sha256').update(buf).digest('base64url');

function metadataOf(name, version, requires) {
  const lines = ['Metadata-Version: 2.1', `Name: ${name}`, `Version: ${version}`, 'Summary: benchmark data-science fixture',
    'Requires-Python: >=3.8', ...requires.map((r) => `Requires-Dist: ${r}`)];
  return Buffer.from(`${lines.join('\n')}\n\n`);
}

function wheel(name, version, requires, payloadBytes) {
  const dist = name.replace(/-/g, '_');
  const info = `${dist}-${version}.dist-info`;
  const metadata = metadataOf(name, version, requires);
  const files = [
    { path: `${dist}/__init__.py`, data: Buffer.from(`__version__ = "${version}"\n`) },
    { path: `${dist}/_native.bin`, data: randomBytes(payloadBytes) },
    { path: `${info}/METADATA`, data: metadata },
    { path: `${info}/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n') },
  ];
  const record = files.map((f) => `${f.path},sha256=${b64(f.data)},${f.data.length}`);
  files.push({ path: `${info}/RECORD`, data: Buffer.from([...record, `${info}/RECORD,,`, ''].join('\n')) });
  return { filename: `${dist}-${version}-py3-none-any.whl`, bytes: storedZip(files), metadata };
}

export function generatePypiTree(outDir) {
  const rand = prng(1802);
  const dir = path.join(outDir, 'tree', 'pypi');
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  const nodes = Array.from({ length: TREE_PROJECTS }, (_, i) => ({
    name: `bench-ds-${WORDS[i % WORDS.length]}${i >= WORDS.length ? `-${i}` : ''}`,
    version: `${intBetween(rand, 1, 3)}.${intBetween(rand, 0, 30)}.${intBetween(rand, 0, 9)}`, deps: new Set(),
  }));
  // Sizes: the cores are the most depended-on (deepest) projects, as numpy is.
  nodes.forEach((n, i) => {
    const fromEnd = TREE_PROJECTS - 1 - i;
    n.size = fromEnd < BIG_MB.length ? BIG_MB[fromEnd] * 1024 * 1024
      : rand() < 0.35 ? logNormal(rand, 400_000, 0.6, 100_000, 1_500_000) : logNormal(rand, 40_000, 0.8, 4_000, 150_000);
  });
  for (let j = TREE_TOP; j < nodes.length; j++) nodes[intBetween(rand, 0, j - 1)].deps.add(j);
  for (let i = 0; i < nodes.length - 1; i++) {
    const extra = logNormal(rand, 2, 0.8, 0, 8);
    for (let k = 0; k < extra; k++) nodes[i].deps.add(intBetween(rand, i + 1, nodes.length - 1));
  }
  const projects = {};
  for (const n of nodes) {
    const requires = [...n.deps].map((d) => `${nodes[d].name}>=${nodes[d].version.split('.')[0]}.0`);
    const w = wheel(n.name, n.version, requires, n.size);
    writeFileSync(path.join(dir, 'files', w.filename), w.bytes);
    writeFileSync(path.join(dir, 'files', `${w.filename}.metadata`), w.metadata);
    const files = [{ filename: w.filename, version: n.version, metadata: true }];
    // Older releases (tiny wheels; their pages weigh what real ones do, their bytes are never fetched).
    const [major, minor] = n.version.split('.').map(Number);
    for (let k = 0, count = logNormal(rand, 10, 0.7, 1, 60); k < count; k++) {
      const version = minor > 0 && k < minor ? `${major}.${k}.0` : `0.${k}.0`;
      if (files.some((f) => f.version === version)) continue;
      const old = wheel(n.name, version, requires, 64);
      writeFileSync(path.join(dir, 'files', old.filename), old.bytes);
      files.push({ filename: old.filename, version, metadata: false });
    }
    projects[n.name] = files;
  }
  const requirements = nodes.slice(0, TREE_TOP).map((n) => n.name);
  const expected = nodes.map((n) => `${n.name}==${n.version}`).sort();
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ requirements, projects, expected }));
}
