#!/usr/bin/env node
// Generates one part of the benchmark data set once into <dir> (a cache folder; skipped when <dir>/.complete
// exists). Parts, each cached under its own key so a change to one generator regenerates (and reloads) only it:
//   main  packuments with 1/300/3,000 versions, tarballs of 10 KB/200 KB/2 MB, PyPI projects with 10 and
//         2,000 wheels, plus static/ (the same files laid out by URL path, for node:http and nginx)
//   many  10,000 one-version packages and one-wheel projects (gen-many.mjs)
//   tree  an application's npm dependency tree and a data-science wheel set (gen-tree-npm.mjs, gen-tree-pypi.mjs)
//   big   a 20 MB packument shaped like a big framework's (gen-big.mjs)
// Usage: generate.mjs <part> <dir>
import { existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [part, target] = process.argv.slice(2);
// Generated beside the target and renamed into place: runs sharing the cache never see half a data set.
const dir = `${target}.tmp-${process.pid}`;
const parts = {
  main: async () => {
    const { generateNpm, NPM_PACKAGES } = await import('./gen-npm.mjs');
    const { generatePypi, PYPI_PROJECTS } = await import('./gen-pypi.mjs');
    generateNpm(dir);
    generatePypi(dir);
    // Static layout = the URL paths the registries use: /<name>/-/<file>.tgz and /files/<project>/<wheel>.
    const linkAll = (from, to, suffix) => {
      mkdirSync(to, { recursive: true });
      for (const f of readdirSync(from).filter((f) => f.endsWith(suffix))) linkSync(path.join(from, f), path.join(to, f));
    };
    for (const { name } of NPM_PACKAGES) linkAll(path.join(dir, 'npm', name), path.join(dir, 'static', name, '-'), '.tgz');
    for (const { name } of PYPI_PROJECTS) linkAll(path.join(dir, 'pypi', name), path.join(dir, 'static', 'files', name), '.whl');
  },
  many: async () => (await import('./gen-many.mjs')).generateMany(dir),
  tree: async () => {
    (await import('./gen-tree-npm.mjs')).generateNpmTree(dir);
    (await import('./gen-tree-pypi.mjs')).generatePypiTree(dir);
  },
  big: async () => (await import('./gen-big.mjs')).generateBig(dir),
};
if (!parts[part] || !target) throw new Error(`usage: generate.mjs <${Object.keys(parts).join('|')}> <data dir>`);
if (!existsSync(path.join(target, '.complete'))) {
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await parts[part]();
  writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  rmSync(target, { recursive: true, force: true }); // an incomplete leftover of an interrupted older generator
  try {
    renameSync(dir, target);
  } catch (err) {
    if (!existsSync(path.join(target, '.complete'))) throw err;
    rmSync(dir, { recursive: true, force: true }); // another run finished first: same content
  }
  console.error(`[bench] generated the ${part} data set in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
