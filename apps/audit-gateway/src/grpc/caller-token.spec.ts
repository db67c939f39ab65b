import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { createAuditClient, toPackageEvent } from '@registry/audit-client';
import { createAuditEvent, type AuditEvent } from '@registry/audit-event';
import { AuditServiceClient } from '@registry/audit-proto';
import { silentLogger } from '@registry/shared-logger';
import { AuditGatewayEnv } from '../config';
import { createGatewayMetrics } from '../gateway-metrics';
import type { AuditSink } from '../sink/audit-sink';
import { createAuditService } from './audit-service';
import { startGrpcServer, type RunningGrpcServer } from './start-grpc-server';

const TOKEN = 'a-gateway-token-of-some-length';
const event = () => toPackageEvent(createAuditEvent({ event_type: 'pypi.package.download', status_code: 200, package: 'requests', request_id: 'r1' }));

/** Forged events from anyone who can reach the gateway are refused and counted. */
describe('audit gateway caller authentication', () => {
  const events: AuditEvent[] = [];
  const sink: AuditSink = { publish: async (e) => void events.push(...e), checkReady: async () => undefined, close: async () => undefined };
  const registry = new Registry();
  let server: RunningGrpcServer;
  beforeAll(async () => {
    server = await startGrpcServer(createAuditService({ sink, metrics: createGatewayMetrics(registry), logger: silentLogger, token: TOKEN }), { host: '127.0.0.1', port: 0, logger: silentLogger });
  });
  afterAll(() => server.close(1_000));

  const call = (metadata: Metadata) => new Promise<ServiceError | undefined>((resolve) => {
    const client = new AuditServiceClient(server.address, credentials.createInsecure());
    client.recordBatch({ events: [event()] }, metadata, (err) => {
      client.close();
      resolve(err ?? undefined);
    });
  });
  const withToken = (value: string) => {
    const m = new Metadata();
    m.set('authorization', value);
    return m;
  };
  const refusedCount = async () => (await registry.getSingleMetricAsString('audit_gateway_calls_unauthenticated_total')).match(/ (\d+)$/m)?.[1];

  it.each([
    ['no token', new Metadata()],
    ['a wrong token', withToken('Bearer not-the-gateway-token')],
    ['a token prefix', withToken(`Bearer ${TOKEN.slice(0, 10)}`)],
  ])('refuses a call with %s as UNAUTHENTICATED, stores nothing and counts it', async (_what, metadata) => {
    const before = Number(await refusedCount());
    expect((await call(metadata))?.code).toBe(status.UNAUTHENTICATED);
    expect(events).toEqual([]);
    expect(Number(await refusedCount())).toBe(before + 1);
  });

  it('accepts the audit client configured with the token', async () => {
    const client = createAuditClient({ address: server.address, token: TOKEN, logger: silentLogger, flushIntervalMs: 1 });
    client.record({ event_type: 'npm.package.download', status_code: 200, package: 'left-pad', request_id: 'r2' });
    await client.close(5_000);
    expect(events.map((e) => e.package)).toEqual(['left-pad']);
  });

  it('refuses to start reachable from other hosts without a token', () => {
    expect(AuditGatewayEnv.safeParse({ HOST: '0.0.0.0' }).error?.issues[0]?.message).toMatch(/AUDIT_GATEWAY_TOKEN|required when HOST/);
    expect(AuditGatewayEnv.safeParse({ HOST: '0.0.0.0', AUDIT_GATEWAY_TOKEN: TOKEN }).success).toBe(true);
    expect(AuditGatewayEnv.safeParse({}).success).toBe(true);
  });
});
