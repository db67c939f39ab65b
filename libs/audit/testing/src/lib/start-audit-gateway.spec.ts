import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuditClient } from '@registry/audit-client';
import { EVENT_TYPES } from '@registry/audit-event';
import { silentLogger } from '@registry/shared-logger';
import { startAuditGateway, type RunningAuditGateway } from './start-audit-gateway';
import { waitFor } from '@registry/shared-testing';

const metric = async (gw: RunningAuditGateway, name: string): Promise<number> => {
  const text = await (await fetch(`${gw.httpUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};

describe('startAuditGateway (audit disabled: no KAFKA_BROKERS)', () => {
  let dataDir: string;
  let gateway: RunningAuditGateway;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'audit-gw-'));
    gateway = await startAuditGateway({ topic: 'unused', dataDir });
  });
  afterAll(async () => {
    await gateway?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on free loopback ports, is ready, and accepts and counts events without producing them', async () => {
    expect(gateway.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await fetch(`${gateway.httpUrl}/-/ready`)).status).toBe(200);
    const client = createAuditClient({ address: gateway.address, logger: silentLogger, flushIntervalMs: 5 });
    for (const event_type of EVENT_TYPES) client.record({ event_type, status_code: 200, request_id: 'r' });
    await client.close(5_000);
    await waitFor(async () => ((await metric(gateway, 'audit_gateway_events_discarded_total')) === 12 ? true : undefined), { timeoutMs: 5_000, intervalMs: 100, what: '12 discarded events' });
    expect(await metric(gateway, 'audit_gateway_events_produced_total')).toBe(0);
    expect(await readdir(dataDir)).toEqual([]); // no spool either
    expect(gateway.output()).toContain('KAFKA_BROKERS is unset');
  });

  it('stops gracefully on SIGTERM', async () => {
    await gateway.stop();
    await expect(fetch(`${gateway.httpUrl}/-/health`)).rejects.toThrow();
  });
});
