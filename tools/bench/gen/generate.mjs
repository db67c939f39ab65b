#!/usr/bin/env node
// Generates the benchmark data set once into <dir> (a cache folder; skipped when <dir>/.complete exists),
// plus static/ (the same tarballs and wheels laid out by URL path, for node:http and nginx).
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateNpm, NPM_PACKAGES } from './gen-npm.mjs';
import { generatePypi, PYPI_PROJECTS } from './gen-pypi.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: generate.mjs <data dir>');
if (!existsSync(path.join(dir, '.complete'))) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  generateNpm(dir);
  generatePypi(dir);
  // Static layout = the URL paths the registries use: /<name>/-/<file>.tgz and /files/<project>/<wheel>.
  for (const { name } of NPM_PACKAGES) {
    const target = path.join(dir, 'static', name, '-');
    mkdirSync(target, { recursive: true });
    for (const f of readdirSync(path.join(dir, 'npm', name)).filter((f) => f.endsWith('.tgz'))) {
      linkSync(path.join(dir, 'npm', name, f), path.join(target, f));
    }
  }
  for (const { name } of PYPI_PROJECTS) {
    const target = path.join(dir, 'static', 'files', name);
    mkdirSync(target, { recursive: true });
    for (const f of readdirSync(path.join(dir, 'pypi', name)).filter((f) => f.endsWith('.whl'))) {
      linkSync(path.join(dir, 'pypi', name, f), path.join(target, f));
    }
  }
  writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
}
