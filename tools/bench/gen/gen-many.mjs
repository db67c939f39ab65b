// The "many packages" data set: MANY_COUNT one-version npm packages and one-wheel PyPI projects named
// bench-many-00000 ... (same document shape as the main set's bench-v1, small payloads), for the cases whose
// cost must stay flat as a registry grows (search, the root index, one packument, one page). The first
// MANY_FEW of them form the small store those cases are compared with.
// Layout: <out>/npm/<name>/ and <out>/pypi/<project>/ as in gen-npm.mjs and gen-pypi.mjs.
import path from 'node:path';
import { generatePackage } from './gen-npm.mjs';
import { generateProject } from './gen-pypi.mjs';

export const MANY_COUNT = 10_000;
export const MANY_FEW = 100;
export const manyName = (i) => `bench-many-${String(i).padStart(5, '0')}`;

export function generateMany(outDir) {
  for (let i = 0; i < MANY_COUNT; i++) {
    generatePackage(path.join(outDir, 'npm'), { name: manyName(i), versions: 1, payload: 64 });
    generateProject(path.join(outDir, 'pypi'), { name: manyName(i), files: 1, payload: 256 });
  }
}
