import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { createAuditClient } from '@registry/audit-client';
import { createAuditEvent, EVENT_TYPES, type AuditEvent } from '@registry/audit-event';
import { AuditServiceClient, type PackageEvent } from '@registry/audit-proto';
import { toPackageEvent } from '@registry/audit-client';
import { AppError, ERROR_CODES } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { Registry } from 'prom-client';
import { createGatewayMetrics } from '../gateway-metrics';
import type { AuditSink } from '../sink/audit-sink';
import { createAuditService } from './audit-service';
import { startGrpcServer, type RunningGrpcServer } from './start-grpc-server';
import { GRPC_STATUS } from './to-grpc-status';

class RecordingSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  readonly failures: unknown[] = [];
  async publish(events: AuditEvent[]): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.events.push(...events);
  }
  async checkReady(): Promise<void> {}
  async close(): Promise<void> {}
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const start = (sink: AuditSink, port = 0) =>
  startGrpcServer(createAuditService({ sink, metrics: createGatewayMetrics(new Registry()), logger: silentLogger }), { host: '127.0.0.1', port, logger: silentLogger });

function rawCall(address: string, events: PackageEvent[]): Promise<ServiceError | undefined> {
  const client = new AuditServiceClient(address, credentials.createInsecure());
  return new Promise((resolve) =>
    client.recordBatch({ events }, new Metadata(), (err) => {
      client.close();
      resolve(err ?? undefined);
    }),
  );
}

const valid = (over: Partial<AuditEvent> = {}): PackageEvent =>
  toPackageEvent({ ...createAuditEvent({ event_type: 'pypi.package.download', status_code: 200, package: 'requests', request_id: 'r1' }), ...over });

describe('audit gateway gRPC service', () => {
  let sink: RecordingSink;
  let server: RunningGrpcServer;
  beforeEach(async () => {
    sink = new RecordingSink();
    server = await start(sink);
  });
  afterEach(() => server.close(1_000));

  it('carries every event type from the client to the sink unchanged, nulls included', async () => {
    const client = createAuditClient({ address: server.address, logger: silentLogger, flushIntervalMs: 5 });
    const inputs = EVENT_TYPES.map((event_type, i) => ({
      event_type, status_code: 200 + i, request_id: `req-${i}`, timestamp: new Date(1_700_000_000_000 + i),
      event_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      ...(i % 2 === 0 ? { package: `pkg-${i}`, version: '1.0.0', size: 2 ** 33 + i, source: 'cache' as const } : {}),
    }));
    inputs.forEach((input) => client.record(input));
    await until(() => sink.events.length === EVENT_TYPES.length);
    expect(sink.events).toEqual(inputs.map(createAuditEvent));
    await client.close(2_000);
  });

  it('refuses a batch with one invalid event as INVALID_ARGUMENT and publishes none of it', async () => {
    const err = await rawCall(server.address, [valid(), valid({ action: 'upload' })]);
    expect(err?.code).toBe(status.INVALID_ARGUMENT);
    expect(err?.details).toContain('events[1].action');
    expect(sink.events).toEqual([]);
  });

  it.each([
    ['event_type', { event_type: 'pypi.nope' as never }],
    ['timestamp', { timestamp: '2026-01-01 00:00:00' }],
    ['status_code', { status_code: 42 }],
    ['extra.event_id', { extra: { request_id: 'r' } }],
    ['registry', { registry: 'npm' as const }],
  ])('names the bad field: %s', async (field, over) => {
    const err = await rawCall(server.address, [valid(over)]);
    expect(err?.code).toBe(status.INVALID_ARGUMENT);
    expect(err?.details).toContain(`events[0].${field}`);
  });

  it('answers a full spool with RESOURCE_EXHAUSTED and a retry hint, and the client delivers after it', async () => {
    sink.failures.push(new AppError('resource_exhausted', 'spool full', { details: { retryAfterMs: 50 } }));
    const err = await rawCall(server.address, [valid()]);
    expect(err?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(err?.metadata.get('grpc-retry-pushback-ms')).toEqual(['50']);
    sink.failures.push(new AppError('resource_exhausted', 'spool full', { details: { retryAfterMs: 50 } }));
    const client = createAuditClient({ address: server.address, logger: silentLogger, flushIntervalMs: 5 });
    client.record({ event_type: 'npm.search', status_code: 200, request_id: 'r' });
    await until(() => sink.events.length === 1);
    await client.close(1_000);
  });

  it('hides unexpected errors behind INTERNAL', async () => {
    sink.failures.push(new Error('disk on fire at /secret/path'));
    const err = await rawCall(server.address, [valid()]);
    expect(err?.code).toBe(status.INTERNAL);
    expect(err?.details).toBe('internal error');
  });

  it('the client keeps events through a gateway restart and reconnects', async () => {
    const { port } = server;
    const client = createAuditClient({ address: server.address, logger: silentLogger, flushIntervalMs: 5, backoff: { initialMs: 10, maxMs: 100 } });
    client.record({ event_type: 'npm.search', status_code: 200, request_id: 'before' });
    await until(() => sink.events.length === 1);
    await server.close(100);
    for (let i = 0; i < 20; i++) client.record({ event_type: 'npm.search', status_code: 200, request_id: `down-${i}` });
    await until(() => !client.isHealthy());
    server = await start(sink, port);
    await until(() => sink.events.length === 21);
    expect(sink.events.slice(1).map((e) => e.extra['request_id'])).toEqual(Array.from({ length: 20 }, (_, i) => `down-${i}`));
    await client.close(1_000);
  });
});

describe('grpc.health.v1.Health', () => {
  it('reports the audit service as SERVING', async () => {
    const server = await start(new RecordingSink());
    const Health = makeGenericClientConstructor(healthService as never, 'Health');
    const client = new Health(server.address, credentials.createInsecure()) as unknown as {
      check(req: { service: string }, cb: (err: Error | null, res: { status: string }) => void): void;
      close(): void;
    };
    const res = await new Promise<{ status: string }>((resolve, reject) =>
      client.check({ service: 'registry.audit.v1.AuditService' }, (err, r) => (err ? reject(err) : resolve(r))),
    );
    client.close();
    await server.close(1_000);
    expect(res.status).toBe('SERVING');
  });
});

describe('GRPC_STATUS', () => {
  it('maps every ErrorCode', () => {
    for (const code of ERROR_CODES) expect(GRPC_STATUS[code]).toEqual(expect.any(Number));
    expect(GRPC_STATUS.invalid_request).toBe(status.INVALID_ARGUMENT);
    expect(GRPC_STATUS.resource_exhausted).toBe(status.RESOURCE_EXHAUSTED);
  });
});
