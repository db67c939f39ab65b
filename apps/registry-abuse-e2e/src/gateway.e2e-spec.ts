import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AuditServiceClient, type PackageEvent } from '@registry/audit-proto';
import { startAuditGateway, type RunningAuditGateway } from '@registry/audit-testing';
import { waitFor } from '@registry/shared-testing';
import { send, startTargets, type Targets } from './support/targets';

const TOKEN = 'abuse-suite-gateway-token-0123456789';

/** Against the built gateway: forged events from anyone who reaches it are refused and counted. */
describe('audit gateway callers', () => {
  let dir: string;
  let gateway: RunningAuditGateway;
  let t: Targets;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'abuse-gateway-'));
    gateway = await startAuditGateway({ topic: 'unused', dataDir: path.join(dir, 'spool'), waitForReady: false, extraEnv: { AUDIT_GATEWAY_TOKEN: TOKEN } });
    t = await startTargets({ PATH: process.env['PATH'] ?? '', AUDIT_GATEWAY_ADDR: gateway.address, AUDIT_GATEWAY_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t.stop();
    await gateway.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const metric = async (name: string) => {
    const text = (await send(gateway.httpUrl, { method: 'GET', path: '/metrics' })).body;
    return Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  };

  it('refuses a forged event without the token as UNAUTHENTICATED and counts it', async () => {
    const client = new AuditServiceClient(gateway.address, credentials.createInsecure());
    const forged: PackageEvent = {
      timestamp: new Date().toISOString(), event_type: 'npm.package.publish', registry: 'npm', package: 'left-pad', version: '99.0.0',
      action: 'upload', status_code: 201, extra: { request_id: 'forged', event_id: '00000000-0000-4000-8000-000000000001' },
    };
    const err = await new Promise<ServiceError | null>((resolve) => client.recordBatch({ events: [forged] }, new Metadata(), (e) => resolve(e)));
    client.close();
    expect(err?.code).toBe(status.UNAUTHENTICATED);
    expect(await metric('audit_gateway_calls_unauthenticated_total')).toBe(1);
  });

  it('accepts the events of the proxies, which send the token', async () => {
    await send(t.npm.url, { method: 'GET', path: '/left-pad' });
    await send(t.pypi.url, { method: 'GET', path: '/simple/requests/' });
    await waitFor(async () => ((await metric('audit_gateway_events_received_total')) >= 2 ? true : undefined), { what: 'the proxies’ events at the gateway' });
    expect(await metric('audit_gateway_calls_unauthenticated_total')).toBe(1);
  });

  it('refuses to start reachable from other hosts without a token', async () => {
    await expect(startAuditGateway({ topic: 'unused', dataDir: path.join(dir, 'spool2'), waitForReady: false, timeoutMs: 8_000, extraEnv: { HOST: '0.0.0.0' } })).rejects.toThrow(/AUDIT_GATEWAY_TOKEN/);
  });
});
