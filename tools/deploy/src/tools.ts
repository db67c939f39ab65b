import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Repository root (this file is tools/deploy/src/tools.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CHART_DIR = path.join(REPO_ROOT, 'infra', 'helm', 'registry');
export const PRODUCTION_VALUES = path.join(REPO_ROOT, 'infra', 'helm', 'values-production.yaml');
export const COMPOSE_FILE = path.join(REPO_ROOT, 'infra', 'compose', 'docker-compose.yml');
export const DOCKERFILE = path.join(REPO_ROOT, 'infra', 'docker', 'Dockerfile');
/** Compose Specification schema, vendored from compose-spec/compose-spec (schemas/README.md). */
export const COMPOSE_SCHEMA = path.join(REPO_ROOT, 'tools', 'deploy', 'schemas', 'compose-spec.json');

type Tool = 'HELM' | 'KUBERNETES_VALIDATE' | 'HADOLINT' | 'PYTHON';

/** Path of a tool installed by install-tools.sh (global setup exported it). */
export function tool(name: Tool): string {
  const value = process.env[`DEPLOY_TOOL_${name}`];
  if (!value) throw new Error(`DEPLOY_TOOL_${name} is not set: run the tests through jest.config.cjs (its global setup installs the tools)`);
  return value;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool without a shell; never throws on a non-zero exit, so tests can show its output. */
export function run(file: string, args: string[], input?: string): RunResult {
  try {
    const stdout = execFileSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number | null; stdout?: string; stderr?: string; message: string };
    return { code: e.status ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}

/** Runs a tool and returns stdout, failing with its full output when it exits non-zero. */
export function runOk(file: string, args: string[], input?: string): string {
  const r = run(file, args, input);
  if (r.code !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Parses (multi-document) YAML with PyYAML from the tools venv; empty documents are dropped. */
export function parseYamlDocuments(text: string): unknown[] {
  const script = path.join(__dirname, '..', 'scripts', 'yaml-to-json.py');
  const docs = JSON.parse(runOk(tool('PYTHON'), [script], text)) as unknown[];
  return docs.filter((d) => d !== null);
}
