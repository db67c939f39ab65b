// The npm half of the "what users feel" data set: a dependency tree shaped like a large application's
// lockfile. TREE_NODES installed packages (name@version), some names present in two majors (npm nests one),
// 35% scoped, a root with TREE_DIRECT direct dependencies, a DAG of ~2-3 dependencies per package, packuments
// with older releases nobody installs (so metadata has its usual weight), small code-like tarballs, a few bins.
// Layout: <out>/tree/npm/index.json { root, packages: { name: { distTags, versions: { v: { manifest, file } } } },
// expected: ["name@version", ...] } and <out>/tree/npm/tarballs/<file>.tgz. No host names: the fixture adds dist.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { npmTarball } from './archive.mjs';
import { codeLike, intBetween, logNormal, pick, prng } from './prng.mjs';

export const TREE_NODES = 800;
export const TREE_DIRECT = 60;
const DUPLICATE_MAJORS = 80; // names installed in two majors
const SCOPES = ['core', 'ui', 'data', 'build', 'types', 'test', 'cloud', 'util'];
const WORDS = ['parse', 'format', 'color', 'stream', 'glob', 'path', 'merge', 'debounce', 'schema', 'query', 'cache',
  'signal', 'event', 'hooks', 'router', 'store', 'client', 'config', 'logger', 'retry', 'crypto', 'locale', 'icons', 'table'];

const fileOf = (name, version) => `${name.replace('@', '').replace('/', '__')}-${version}.tgz`;

function makeNodes(rand) {
  const names = Array.from({ length: TREE_NODES - DUPLICATE_MAJORS }, (_, i) =>
    rand() < 0.35 ? `@tree-${pick(rand, SCOPES)}/${pick(rand, WORDS)}-${i}` : `tree-${pick(rand, WORDS)}-${i}`);
  const nodes = names.map((name) => ({ name, major: intBetween(rand, 1, 5) }));
  // Second majors go after the direct dependencies, so the root's names stay distinct.
  for (let k = 0; k < DUPLICATE_MAJORS; k++) {
    const first = nodes[intBetween(rand, 0, names.length - 1)];
    const at = intBetween(rand, TREE_DIRECT, nodes.length);
    nodes.splice(at, 0, { name: first.name, major: first.major + intBetween(rand, 1, 3) });
  }
  // Same name and major twice (possible when a name was drawn twice): bump until unique.
  const seen = new Set();
  for (const n of nodes) {
    while (seen.has(`${n.name}@${n.major}`)) n.major += 1;
    seen.add(`${n.name}@${n.major}`);
  }
  return nodes;
}

/** Edges i -> j with i < j (a DAG); every node has a parent, so the root reaches all of them. */
function linkNodes(rand, nodes) {
  for (const n of nodes) n.deps = [];
  const tryLink = (i, j) => {
    const from = nodes[i];
    const to = nodes[j];
    if (from.name === to.name || from.deps.some((d) => nodes[d].name === to.name)) return false;
    from.deps.push(j);
    return true;
  };
  for (let j = TREE_DIRECT; j < nodes.length; j++) {
    for (let attempt = 0; attempt < 50 && !tryLink(intBetween(rand, 0, j - 1), j); attempt++);
  }
  for (let i = 0; i < nodes.length - 1; i++) {
    const extra = logNormal(rand, 1.5, 0.9, 0, 12);
    for (let k = 0; k < extra; k++) tryLink(i, intBetween(rand, i + 1, nodes.length - 1));
  }
}

function manifestOf(rand, name, version, dependencies) {
  const base = name.split('/').pop();
  return {
    name, version, description: `${base}: generated package of the benchmark tree`, main: 'index.js', license: 'MIT',
    keywords: [pick(rand, WORDS), pick(rand, WORDS)], author: { name: 'Tree Fixture', email: 'tree@example.test' },
    repository: { type: 'git', url: `git+https://example.test/${base}.git` }, engines: { node: '>=18' },
    ...(Object.keys(dependencies).length ? { dependencies } : {}),
  };
}

export function generateNpmTree(outDir) {
  const rand = prng(1801);
  const dir = path.join(outDir, 'tree', 'npm');
  mkdirSync(path.join(dir, 'tarballs'), { recursive: true });
  const nodes = makeNodes(rand);
  linkNodes(rand, nodes);
  // The installed version of a node is the highest of its major, so `^<major>.0.0` resolves to it.
  for (const n of nodes) n.version = `${n.major}.${intBetween(rand, 0, 12)}.${intBetween(rand, 0, 9)}`;
  const packages = {};
  for (const n of nodes) {
    const dependencies = Object.fromEntries(n.deps.map((d) => [nodes[d].name, `^${nodes[d].major}.0.0`]));
    const manifest = manifestOf(rand, n.name, n.version, dependencies);
    const files = [{ path: 'package.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) },
      { path: 'index.js', data: codeLike(rand, logNormal(rand, 12_000, 1.0, 400, 400_000)) },
      { path: 'README.md', data: codeLike(rand, logNormal(rand, 2_000, 0.7, 100, 20_000)) }];
    if (rand() < 0.05) {
      manifest.bin = { [`${n.name.split('/').pop()}-cli`]: 'cli.js' };
      files.push({ path: 'cli.js', data: Buffer.from('#!/usr/bin/env node\nrequire("./index.js");\n') });
    }
    const pkg = (packages[n.name] ??= { versions: {} });
    pkg.versions[n.version] = { manifest, file: fileOf(n.name, n.version) };
    writeFileSync(path.join(dir, 'tarballs', fileOf(n.name, n.version)), npmTarball(files));
  }
  // Older releases that nobody installs (lower minors of the installed majors, and earlier majors).
  for (const [name, pkg] of Object.entries(packages)) {
    const installed = Object.keys(pkg.versions);
    const older = logNormal(rand, 10, 0.8, 1, 120);
    for (let k = 0; k < older; k++) {
      const [major, minor] = pick(rand, installed).split('.').map(Number);
      const version = minor > 0 && rand() < 0.7 ? `${major}.${intBetween(rand, 0, minor - 1)}.${intBetween(rand, 0, 20)}` : `0.${k}.${intBetween(rand, 0, 9)}`;
      if (pkg.versions[version]) continue;
      const manifest = manifestOf(rand, name, version, pkg.versions[installed[0]].manifest.dependencies ?? {});
      pkg.versions[version] = { manifest, file: fileOf(name, version) };
      writeFileSync(path.join(dir, 'tarballs', fileOf(name, version)), npmTarball([{ path: 'package.json', data: Buffer.from(JSON.stringify(manifest)) }]));
    }
    const highest = Object.keys(pkg.versions).sort((a, b) => cmp(b, a))[0];
    pkg.distTags = { latest: highest };
  }
  const root = { name: 'bench-tree-app', version: '1.0.0', private: true,
    dependencies: Object.fromEntries(nodes.slice(0, TREE_DIRECT).map((n) => [n.name, `^${n.major}.0.0`])) };
  const expected = [...reachable(nodes)].map((i) => `${nodes[i].name}@${nodes[i].version}`).sort();
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ root, packages, expected }));
}

/** Indexes of the nodes the root's dependencies reach (all of them, by construction; checked, not assumed). */
function reachable(nodes) {
  const seen = new Set();
  const stack = nodes.slice(0, TREE_DIRECT).map((_, i) => i);
  while (stack.length) {
    const i = stack.pop();
    if (seen.has(i)) continue;
    seen.add(i);
    stack.push(...nodes[i].deps);
  }
  return seen;
}

const cmp = (a, b) => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
