#!/usr/bin/env node
// Bundles one of our apps for the bench into tools/bench/.build/<app>/main.js, the same way
// tools/scripts/build-project.mjs builds dist/ (esbuild, workspace libs inlined, npm packages external),
// so the bench never rewrites the shared dist/ folder while others use it. Usage: build-ours.mjs <app> [tree]
// With a tree (another revision's sources, lib/baselines.sh), that tree's app into <tree>/tools/bench/.build/.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const app = process.argv[2];
if (!app) throw new Error('usage: build-ours.mjs <app> [tree]');
const repo = process.argv[3] ? path.resolve(process.argv[3]) : fileURLToPath(new URL('../../..', import.meta.url));
await build({
  entryPoints: [path.join(repo, 'apps', app, 'src', 'main.ts')],
  outfile: path.join(repo, 'tools', 'bench', '.build', app, 'main.js'),
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'error',
  tsconfig: path.join(repo, 'apps', app, 'tsconfig.json'),
  plugins: [{
    name: 'externalize-npm-packages',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@registry/') ? undefined : { path: args.path, external: true }));
    },
  }],
});
