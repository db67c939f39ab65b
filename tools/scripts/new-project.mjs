#!/usr/bin/env node
// Stamps a new Nx project with the house layout: project.json with tags and the four standard
// targets, tsconfig.json, jest.config.cjs, src/index.ts as the public API, and (for libs) the
// `@registry/<scope>-<name>` path in tsconfig.base.json.
// Usage: node tools/scripts/new-project.mjs libs/<scope>/<name> --tags type:util,scope:shared [--testing] "<one-line purpose>"
//        node tools/scripts/new-project.mjs apps/<name> --tags type:app,scope:pypi "<one-line purpose>"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [root, ...rest] = process.argv.slice(2);
const tagsIdx = rest.indexOf('--tags');
const tags = tagsIdx >= 0 ? rest[tagsIdx + 1].split(',') : [];
const withTesting = rest.includes('--testing');
const purpose = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--tags').join(' ') || 'TODO: one line on this project\'s job.';
if (!root || !/^(apps|libs)\//.test(root)) {
  console.error('usage: new-project.mjs libs/<scope>/<name>|apps/<name> --tags a,b [--testing] "purpose"');
  process.exit(2);
}
const isLib = root.startsWith('libs/');
const name = root.split('/').slice(1).join('-');
const depth = root.split('/').length;
const up = '../'.repeat(depth);
const write = (file, text) => {
  const full = path.join(root, file);
  if (existsSync(full)) return;
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
};

const targets = { build: {}, typecheck: {}, lint: {}, test: {} };
write('project.json', JSON.stringify({
  name,
  $schema: `${up}node_modules/nx/schemas/project-schema.json`,
  sourceRoot: `${root}/src`,
  projectType: isLib ? 'library' : 'application',
  tags,
  targets,
}, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({ extends: `${up}tsconfig.base.json`, include: ['src/**/*.ts'] }, null, 2) + '\n');
write('jest.config.cjs', `module.exports = { ...require('${up}jest.preset.cjs'), displayName: '${name}', rootDir: __dirname };\n`);
write('src/index.ts', `// Public API of ${name}.\nexport {};\n`);
if (withTesting) write('src/testing.ts', `// Test helpers of ${name}: fakes and contract suites, for spec files only.\nexport {};\n`);
write('README.md', `# ${name}\n\n${purpose}\n`);

if (isLib) {
  const basePath = 'tsconfig.base.json';
  const base = JSON.parse(readFileSync(basePath, 'utf8'));
  const paths = base.compilerOptions.paths;
  paths[`@registry/${name}`] = [`${root}/src/index.ts`];
  if (withTesting) paths[`@registry/${name}/testing`] = [`${root}/src/testing.ts`];
  base.compilerOptions.paths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(basePath, JSON.stringify(base, null, 2) + '\n');
}
console.log(`created ${name} at ${root}`);
