import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FixtureRegistry, FixtureVersion } from '@registry/npm-testing';

const run = promisify(execFile);

export interface PackageSpec {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  bin?: boolean;
  /** Lifecycle scripts of the package (e.g. a postinstall), for the install-scripts suite. */
  scripts?: Record<string, string>;
}

/** The dependency tree the install suites resolve: app → dep-a → dep-b, app → @fixture/scoped → dep-b. */
export const TREE: PackageSpec[] = [
  { name: 'dep-b', version: '1.0.0' },
  { name: 'dep-b', version: '1.1.0' },
  { name: 'dep-a', version: '1.0.0', dependencies: { 'dep-b': '^1.0.0' } },
  { name: '@fixture/scoped', version: '1.0.0', dependencies: { 'dep-b': '^1.1.0' } },
];

/** What a project installing `TREE` depends on (its top). */
export const TREE_DEPS = { 'dep-a': '^1.0.0', '@fixture/scoped': '^1.0.0' };

/** Writes a package directory and runs the real `npm pack` on it; returns the tarball bytes and manifest. */
export async function packPackage(workDir: string, spec: PackageSpec, env: NodeJS.ProcessEnv): Promise<FixtureVersion> {
  const dir = path.join(workDir, 'src', spec.name.replace('/', '__'), spec.version);
  await mkdir(dir, { recursive: true });
  const manifest = { name: spec.name, version: spec.version, description: `fixture ${spec.name}`, main: 'index.js', license: 'MIT', dependencies: spec.dependencies ?? {}, ...(spec.scripts ? { scripts: spec.scripts } : {}) };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(path.join(dir, 'index.js'), `module.exports = ${JSON.stringify(`${spec.name}@${spec.version}`)};\n`);
  const out = path.join(workDir, 'tarballs');
  await mkdir(out, { recursive: true });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, env });
  const filename = (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename as string;
  return { tarball: await readFile(path.join(out, filename)), manifest };
}

/** Packs the whole tree and serves it from the fixture upstream. */
export async function serveTree(upstream: FixtureRegistry, workDir: string, env: NodeJS.ProcessEnv, specs: PackageSpec[] = TREE): Promise<void> {
  const byName = new Map<string, Record<string, FixtureVersion>>();
  for (const spec of specs) {
    const versions = byName.get(spec.name) ?? {};
    versions[spec.version] = await packPackage(workDir, spec, env);
    byName.set(spec.name, versions);
  }
  for (const [name, versions] of byName) upstream.setPackage(name, versions);
}
