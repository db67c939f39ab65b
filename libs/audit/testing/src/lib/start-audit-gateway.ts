import { startAppProcess } from '@registry/shared-testing';
import { repoRoot } from './repo-root';

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

/** Spawns the built gateway (through startAppProcess) on loopback ports: free ones, or the ones given. */
export async function startAuditGateway(opts: StartAuditGatewayOptions): Promise<RunningAuditGateway> {
  const gateway = await startAppProcess({
    root: repoRoot(),
    app: 'audit-gateway',
    // The HTTP port first: it answers /-/health and /-/ready.
    ports: { AUDIT_GATEWAY_HTTP_PORT: opts.httpPort, AUDIT_GATEWAY_PORT: opts.grpcPort },
    readyPath: opts.waitForReady === false ? '/-/health' : '/-/ready',
    env: {
      KAFKA_AUDIT_TOPIC: opts.topic,
      DATA_DIR: opts.dataDir,
      // The child gets only these variables: no KAFKA_BROKERS leaks in from the test's environment.
      ...(opts.kafkaBrokers ? { KAFKA_BROKERS: opts.kafkaBrokers } : {}),
      ...opts.extraEnv,
    },
    ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
    timeoutMs: opts.timeoutMs ?? 60_000,
  });
  const grpcPort = gateway.ports['AUDIT_GATEWAY_PORT'] as number;
  const httpPort = gateway.ports['AUDIT_GATEWAY_HTTP_PORT'] as number;
  return {
    address: `127.0.0.1:${grpcPort}`, grpcPort, httpPort, httpUrl: gateway.url, pid: gateway.pid,
    output: gateway.output, stop: gateway.stop, kill: gateway.kill,
  };
}
