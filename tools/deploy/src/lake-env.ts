import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './tools';

const LAKE_PACKAGE = path.join(REPO_ROOT, 'infra', 'lake', 'job', 'registry_lake');
/** Process variables a deployment sets for Python and Java themselves, not settings of the lake job. */
export const LAKE_PROCESS_VARIABLES = ['PYTHONPATH', 'HOME', 'PATH'];

/**
 * The variables the lake job reads, from its own source (env.get("X"), os.environ.get("X"), _required(env, "X")),
 * so a deployment that passes a name the job ignores (a typo) fails the check.
 */
export function lakeEnvKeys(): string[] {
  const names = new Set<string>();
  const files = readdirSync(LAKE_PACKAGE, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py'));
  for (const file of files) {
    const source = readFileSync(path.join(LAKE_PACKAGE, file), 'utf8');
    for (const m of source.matchAll(/(?:env\.get|os\.environ\.get|_required)\((?:env, )?"([A-Z][A-Z0-9_]*)"/g)) names.add(m[1]!);
  }
  return [...names].sort();
}
