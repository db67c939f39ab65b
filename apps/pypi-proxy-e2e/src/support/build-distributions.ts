import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bufferSource, readWheelMetadata } from '@registry/pypi-protocol';
import type { FixtureFile } from '@registry/pypi-testing';
import { expectSuccess, type PythonClients } from './python-clients';

export interface PackageSpec {
  name: string;
  version: string;
  dependencies?: string[];
  /** Extra module text, to build a different file under the same filename. */
  flavour?: string;
}

export interface BuiltPackage {
  wheel: string;
  sdist: string;
}

/** A built project as the fixture upstream serves it. */
export interface ServedPackage {
  project: string;
  /** The wheel, then the sdist. */
  files: [FixtureFile, FixtureFile];
  /** The wheel as served: its filename and size are what the audit events record. */
  wheel: FixtureFile;
}

/** The dependency tree the install suites resolve: e2e-root → e2e-leaf (npm-proxy-e2e's `TREE` plays the same part). */
export const TREE: PackageSpec[] = [
  { name: 'e2e-leaf', version: '1.0.0' },
  { name: 'e2e-root', version: '1.0.0', dependencies: ['e2e-leaf>=1.0'] },
];

/** Generates a tiny setuptools project and builds its wheel and sdist with `python -m build` (no network). */
export async function buildPackage(clients: PythonClients, workDir: string, spec: PackageSpec): Promise<BuiltPackage> {
  const module = spec.name.replace(/[-.]/g, '_');
  const dir = path.join(workDir, `${module}-${spec.version}-${spec.flavour ?? 'plain'}`);
  await mkdir(path.join(dir, module), { recursive: true });
  const deps = (spec.dependencies ?? []).map((d) => JSON.stringify(d)).join(', ');
  await writeFile(path.join(dir, 'pyproject.toml'), [
    '[build-system]',
    'requires = ["setuptools>=61"]',
    'build-backend = "setuptools.build_meta"',
    '[project]',
    `name = "${spec.name}"`,
    `version = "${spec.version}"`,
    'requires-python = ">=3.8"',
    `dependencies = [${deps}]`,
    '[tool.setuptools]',
    `packages = ["${module}"]`,
    '',
  ].join('\n'));
  await writeFile(path.join(dir, module, '__init__.py'), `VERSION = "${spec.version}"\nFLAVOUR = "${spec.flavour ?? 'plain'}"\n`);
  // --no-isolation: setuptools comes from the clients venv, so building needs no index at all.
  expectSuccess(await clients.run(clients.bin('python'), ['-m', 'build', '--no-isolation', '--outdir', 'dist', '.'], { home: workDir, cwd: dir }), `build ${spec.name}`);
  const built = await readdir(path.join(dir, 'dist'));
  const wheel = built.find((f) => f.endsWith('.whl'));
  const sdist = built.find((f) => f.endsWith('.tar.gz'));
  if (!wheel || !sdist) throw new Error(`build of ${spec.name} produced ${built.join(', ')}`);
  return { wheel: path.join(dir, 'dist', wheel), sdist: path.join(dir, 'dist', sdist) };
}

/** The built files as the fixture upstream serves them (wheel METADATA for PEP 658 included). */
export async function asFixtureFiles(pkg: BuiltPackage, project: string): Promise<[FixtureFile, FixtureFile]> {
  const wheelBytes = await readFile(pkg.wheel);
  const metadata = await readWheelMetadata(bufferSource(wheelBytes), project);
  return [
    { filename: path.basename(pkg.wheel), bytes: wheelBytes, metadata, requiresPython: '>=3.8' },
    { filename: path.basename(pkg.sdist), bytes: await readFile(pkg.sdist), requiresPython: '>=3.8' },
  ];
}
