import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { envSchemaKeys } from '@registry/shared-config';
import { REPO_ROOT } from './tools';

/**
 * The variable names each app accepts, read from the zod schema in apps/<app>/src/config.ts at test
 * time (never a copied list), so a variable added to an app fails these checks until compose and the
 * chart carry it too. The module is loaded by computed path: it is the app's own contract with its
 * deployment, and this project deliberately does not import app code statically.
 */
export function appEnvKeys(app: string): string[] {
  const file = path.join(REPO_ROOT, 'apps', app, 'src', 'config.ts');
  if (!existsSync(file)) throw new Error(`${app}: no config schema at apps/${app}/src/config.ts`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- computed path, loaded through Jest's transform
  const mod = require(file) as Record<string, unknown>;
  const schemas = Object.entries(mod).filter(([name, value]) => /Env$/.test(name) && isZodSchema(value));
  if (schemas.length !== 1) {
    throw new Error(`${app}: expected exactly one exported *Env zod schema in config.ts, found [${schemas.map(([n]) => n).join(', ')}]`);
  }
  try {
    return envSchemaKeys(schemas[0]![1]).sort();
  } catch (err) {
    throw new Error(`${app}: ${(err as Error).message}`);
  }
}

/** Apps under apps/ that have a config schema (the deployables; *-e2e suites have none). */
export function deployableApps(): string[] {
  const dir = path.join(REPO_ROOT, 'apps');
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, 'src', 'config.ts')))
    .sort();
}

function isZodSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '_zod' in value;
}
