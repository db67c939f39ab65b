import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a publishable package directory (what a developer runs `npm publish` in). */
export async function writePackageDir(root: string, name: string, version: string, extra: Record<string, unknown> = {}): Promise<string> {
  const dir = path.join(root, `${name.replace('/', '__')}-${version}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version, description: `${name} e2e package`, keywords: ['e2e'], main: 'index.js', license: 'MIT', ...extra }, null, 2));
  await writeFile(path.join(dir, 'index.js'), `module.exports = ${JSON.stringify(version)};\n`);
  return dir;
}
