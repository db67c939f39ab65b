#!/usr/bin/env node
// Builds one Nx project. Apps: one esbuild bundle (dist/apps/<name>/main.js) with workspace libs inlined
// and npm packages left external (they are installed next to it by `npm ci --omit=dev` in the image).
// Libs: a plain transpile to dist/libs/..., which proves each lib compiles on its own.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = process.argv[2];
if (!root) throw new Error('usage: build-project.mjs <projectRoot>');
const outdir = path.join('dist', root);
rmSync(outdir, { recursive: true, force: true });

const isTest = (f) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(f);
const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const full = path.join(dir, f);
  return statSync(full).isDirectory() ? walk(full) : full.endsWith('.ts') && !isTest(full) ? [full] : [];
});

const common = { platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', tsconfig: path.join(root, 'tsconfig.json') };
const main = path.join(root, 'src', 'main.ts');
if (root.startsWith('apps/') && existsSync(main)) {
  await build({
    ...common,
    entryPoints: [main],
    bundle: true,
    outfile: path.join(outdir, 'main.js'),
    // npm packages stay external; workspace libs (@registry/*) resolve through tsconfig paths and are inlined.
    plugins: [{
      name: 'externalize-npm-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@registry/') ? undefined : { path: args.path, external: true }));
      },
    }],
  });
} else {
  await build({ ...common, entryPoints: walk(path.join(root, 'src')), outdir, outbase: path.join(root, 'src') });
}
console.log(`built ${root} -> ${outdir}`);
