// Generates the PyPI benchmark data set: real wheels (PEP 427 ZIPs with a dist-info METADATA/WHEEL/RECORD).
// Projects: bench-files-10 (10 wheels, ~100 KB each) and bench-files-2000 (2,000 small wheels).
// Layout: <out>/pypi/<project>/<wheel file> plus <out>/pypi/<project>/files.json ([{ filename, version, sha256, size }]).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { storedZip } from './archive.mjs';

export const PYPI_PROJECTS = [
  { name: 'bench-files-10', files: 10, payload: 100 * 1024 },
  { name: 'bench-files-2000', files: 2000, payload: 512 },
];
// Two wheels per version (a pure one and a manylinux one), as many real projects publish.
const TAGS = ['py3-none-any', 'cp311-cp311-manylinux_2_17_x86_64'];

const b64url = (buf) => buf.toString('base64url');

function wheelFor(dist, version, payload) {
  const info = `${dist}-${version}.dist-info`;
  const files = [
    { path: `${dist}/__init__.py`, data: Buffer.from(`__version__ = "${version}"\n`) },
    // base64 text: a realistic, mostly incompressible module body of the requested size.
    { path: `${dist}/_data.py`, data: Buffer.from(`DATA = "${randomBytes(Math.floor(payload * 0.74)).toString('base64')}"\n`) },
    { path: `${info}/METADATA`, data: Buffer.from(`Metadata-Version: 2.1\nName: ${dist.replace(/_/g, '-')}\nVersion: ${version}\nSummary: benchmark fixture\nRequires-Python: >=3.8\n`) },
    { path: `${info}/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n') },
  ];
  const record = files.map((f) => `${f.path},sha256=${b64url(createHash('sha256').update(f.data).digest())},${f.data.length}`);
  files.push({ path: `${info}/RECORD`, data: Buffer.from([...record, `${info}/RECORD,,`, ''].join('\n')) });
  return storedZip(files);
}

/** Writes one project ({ name, files, payload }) under <outDir>/<name>. */
export function generateProject(outDir, spec) {
  const dir = path.join(outDir, spec.name);
  mkdirSync(dir, { recursive: true });
  const dist = spec.name.replace(/-/g, '_');
  const index = [];
  for (let i = 0; i < spec.files; i++) {
    const version = `${Math.floor(i / TAGS.length / 100)}.${Math.floor(i / TAGS.length) % 100}.0`;
    const filename = `${dist}-${version}-${TAGS[i % TAGS.length]}.whl`;
    const whl = wheelFor(dist, version, spec.payload);
    writeFileSync(path.join(dir, filename), whl);
    index.push({ filename, version, sha256: createHash('sha256').update(whl).digest('hex'), size: whl.length });
  }
  writeFileSync(path.join(dir, 'files.json'), JSON.stringify(index));
}

/** Writes every project under <outDir>/pypi. */
export function generatePypi(outDir) {
  for (const spec of PYPI_PROJECTS) generateProject(path.join(outDir, 'pypi'), spec);
}
