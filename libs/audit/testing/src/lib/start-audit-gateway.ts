import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root';
import { freePort, waitFor } from '@registry/shared-testing';

export interface StartAuditGatewayOptions {
  /** Unset = audit disabled (the gateway counts and produces nothing). */
  kafkaBrokers?: string;
  topic: string;
  dataDir: string;
  /** Reuse ports (a restart after SIGKILL keeps the address the clients know). */
  grpcPort?: number;
  httpPort?: number;
  /** Wait for /-/ready (topic created); false waits only for /-/health (e.g. Kafka is down). */
  waitForReady?: boolean;
  timeoutMs?: number;
  extraEnv?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof'] for a benchmark. */
  nodeArgs?: string[];
}

export interface RunningAuditGateway {
  /** gRPC host:port for createAuditClient. */
  address: string;
  grpcPort: number;
  httpPort: number;
  httpUrl: string;
  pid: number;
  /** Combined stdout+stderr so far (JSON log lines). */
  output(): string;
  /** SIGTERM (graceful: flushes) and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: a crash. */
  kill(): Promise<void>;
}

/** Spawns the built gateway (dist/apps/audit-gateway/main.js, built first if missing) on free loopback ports. */
export async function startAuditGateway(opts: StartAuditGatewayOptions): Promise<RunningAuditGateway> {
  const root = repoRoot();
  const main = path.join(root, 'dist/apps/audit-gateway/main.js');
  if (!existsSync(main)) buildGateway(root);
  const grpcPort = opts.grpcPort ?? (await freePort());
  const httpPort = opts.httpPort ?? (await freePort());
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    AUDIT_GATEWAY_PORT: String(grpcPort),
    AUDIT_GATEWAY_HTTP_PORT: String(httpPort),
    KAFKA_AUDIT_TOPIC: opts.topic,
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: 'info',
    // The child gets only these variables: no KAFKA_BROKERS leaks in from the test's environment.
    ...(opts.kafkaBrokers ? { KAFKA_BROKERS: opts.kafkaBrokers } : {}),
    ...opts.extraEnv,
  };
  const child = spawn(process.execPath, ['--enable-source-maps', ...(opts.nodeArgs ?? []), main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const probe = opts.waitForReady === false ? '/-/health' : '/-/ready';
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output.slice(-2_000)}`);
      return (await fetch(httpUrl + probe).catch(() => undefined))?.ok ? true : undefined;
    }, { timeoutMs: opts.timeoutMs ?? 60_000, intervalMs: 100, what: `audit gateway ${probe}` });
  } catch (err) {
    await signal(child, exited, 'SIGKILL');
    throw new Error(`${(err as Error).message}\n--- gateway output ---\n${output.slice(-2_000)}`);
  }
  return {
    address: `127.0.0.1:${grpcPort}`,
    grpcPort,
    httpPort,
    httpUrl,
    pid: child.pid ?? -1,
    output: () => output,
    stop: () => signal(child, exited, 'SIGTERM'),
    kill: () => signal(child, exited, 'SIGKILL'),
  };
}

async function signal(child: ChildProcess, exited: Promise<void>, sig: NodeJS.Signals): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  await exited;
}

function buildGateway(root: string): void {
  if (!existsSync(path.join(root, 'libs/audit/proto/src/generated'))) {
    const codegen = spawnSync(process.execPath, ['libs/audit/proto/scripts/codegen.mjs'], { cwd: root, encoding: 'utf8' });
    if (codegen.status !== 0) throw new Error(`audit-proto codegen failed:\n${codegen.stderr}`);
  }
  const result = spawnSync(process.execPath, ['tools/scripts/build-project.mjs', 'apps/audit-gateway'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the audit gateway failed:\n${result.stderr}`);
}
