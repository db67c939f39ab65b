import type { Registry } from 'prom-client';
import type { Logger } from '@registry/shared-logger';
import { NoopAuditClient, type AuditClient } from './audit-client';
import { createAuditClientMetrics } from './audit-client-metrics';
import type { AuditTransport } from './audit-transport';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { BatchingAuditClient, type OverflowPolicy } from './batching-audit-client';

export interface AuditClientOptions {
  /** Gateway host:port, e.g. 127.0.0.1:50051. */
  address: string;
  logger: Logger;
  /**
   * Events kept while the gateway is away. The default, 100,000, holds a 60 s gateway outage at
   * 500 events/s (30,000) three times over; events are queued encoded (some 200-500 bytes each, off the JS
   * heap), so that is 20-50 MiB in the worst case, and nothing when the gateway keeps up.
   */
  maxQueue?: number;
  /** Events per RecordBatch call (default 500). */
  batchSize?: number;
  /** How long a partial batch waits before it is sent (default 100 ms). */
  flushIntervalMs?: number;
  /** What record() does when the queue is full (default drop-newest: the backlog keeps its order). */
  overflow?: OverflowPolicy;
  /** Per-call deadline (default 10 s; the gateway may fsync to its spool before answering). */
  sendDeadlineMs?: number;
  backoff?: BackoffPolicy;
  /** Register the client's metrics here (e.g. the service's /metrics registry). */
  metrics?: Registry;
  metricsPrefix?: string;
  /** The gateway's shared secret (AUDIT_GATEWAY_TOKEN), sent in every call's metadata. */
  token?: string | undefined;
  /** For tests: replaces the gRPC channel. */
  transport?: AuditTransport;
}

/**
 * The production AuditClient: record() queues and returns at once; batches go to the audit gateway over
 * gRPC with retries, backoff and reconnects; close(deadlineMs) flushes what it can.
 */
export function createAuditClient(opts: AuditClientOptions): AuditClient {
  return new BatchingAuditClient({
    transport: opts.transport ?? grpcTransportOnFirstSend(opts.address, opts.token),
    logger: opts.logger,
    metrics: createAuditClientMetrics(opts.metrics, opts.metricsPrefix),
    maxQueue: opts.maxQueue ?? 100_000,
    batchSize: opts.batchSize ?? 500,
    flushIntervalMs: opts.flushIntervalMs ?? 100,
    overflow: opts.overflow ?? 'drop-newest',
    sendDeadlineMs: opts.sendDeadlineMs ?? 10_000,
    backoff: opts.backoff ?? DEFAULT_BACKOFF,
    overflowLogIntervalMs: 10_000,
  });
}

/**
 * grpc-js and the generated service code (some 13 MB of resident memory) load with the first batch, not with the
 * module: a proxy with audit off, the embedded default, never loads them.
 */
function grpcTransportOnFirstSend(address: string, token: string | undefined): AuditTransport {
  let transport: Promise<AuditTransport> | undefined;
  const ready = (): Promise<AuditTransport> => (transport ??= import('./grpc-audit-transport').then((m) => m.createGrpcAuditTransport(address, token)));
  return {
    send: async (events, opts) => (await ready()).send(events, opts),
    close: () => void transport?.then((t) => t.close()),
  };
}

/** The proxies' audit client: the real one for a configured gateway address, else a no-op (and a warning). */
export function auditClientFor(address: string | undefined, opts: Omit<AuditClientOptions, 'address'>): AuditClient {
  if (address === undefined) {
    opts.logger.warn('AUDIT_GATEWAY_ADDR is unset: audit events are not recorded');
    return new NoopAuditClient();
  }
  return createAuditClient({ ...opts, address });
}
