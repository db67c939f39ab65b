import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Jest global setup: install (or find cached) helm, kubernetes-validate, hadolint and the compose-spec
 * schema, then hand their paths to the test workers through the environment (workers start after this).
 * Never run by hand: a fresh machine gets the tools from here (real-services.md, "Helm, ... compose").
 */
export default function globalSetup(): void {
  const script = path.join(__dirname, '..', 'install-tools.sh');
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  for (const line of out.split('\n')) {
    const m = /^([A-Z_]+)=(.+)$/.exec(line.trim());
    if (m?.[1] && m[2]) process.env[`DEPLOY_TOOL_${m[1]}`] = m[2];
  }
}
