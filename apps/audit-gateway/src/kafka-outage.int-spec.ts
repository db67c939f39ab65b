// No loss (audit issue, "How it will be checked"): Kafka stopped and restarted while events flow, and
// the gateway SIGKILLed and restarted; every event the client got acknowledged must be on the topic.
// These tests stop their broker, so they run against a dedicated second Kafka (tools/services/kafka.sh
// with its own state dir and ports), never the shared one. AUDIT_KAFKA_OUTAGE_SECONDS sets the outage
// (default 20; the audit issue's figure is 60: AUDIT_KAFKA_OUTAGE_SECONDS=60 npx nx integration audit-gateway).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { createAuditClient, type AuditClient } from '@registry/audit-client';
import { waitFor } from '@registry/shared-testing';
import { eventIdOf, readWithKcat, startAuditGateway, startDedicatedKafka, type DedicatedKafka, type RunningAuditGateway } from '@registry/audit-testing';
import { silentLogger } from '@registry/shared-logger';

const OUTAGE_MS = Number(process.env['AUDIT_KAFKA_OUTAGE_SECONDS'] ?? '20') * 1_000;
const RATE_PER_SECOND = 500;
jest.setTimeout(OUTAGE_MS + 180_000);

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

const atLeast = (what: string, read: () => Promise<number>, min: number, timeoutMs = 60_000) =>
  waitFor(async () => ((await read()) >= min ? true : undefined), { timeoutMs, intervalMs: 100, what });

/** Records RATE_PER_SECOND events at a steady pace (the proxies' traffic) until stopped. */
function startFlow(client: AuditClient): { ids: string[]; stop(): void } {
  const ids: string[] = [];
  const timer = setInterval(() => {
    for (let i = 0; i < RATE_PER_SECOND / 50; i++) {
      const event_id = randomUUID();
      ids.push(event_id);
      client.record({ event_type: 'npm.package.download', status_code: 200, package: `pkg-${ids.length % 37}`, event_id, request_id: `flow-${ids.length}` });
    }
  }, 20);
  return { ids, stop: () => clearInterval(timer) };
}

function newClient(address: string) {
  const registry = new Registry();
  const client = createAuditClient({ address, logger: silentLogger, metrics: registry, flushIntervalMs: 20, backoff: { initialMs: 50, maxMs: 1_000 } });
  const sent = async () => (await registry.getSingleMetric('audit_client_events_sent_total')?.get())?.values[0]?.value ?? 0;
  const dropped = async () => ((await registry.getSingleMetric('audit_client_events_dropped_total')?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);
  return { client, sent, dropped };
}

async function expectAllOnTopic(kafka: DedicatedKafka, topic: string, ids: string[]): Promise<void> {
  const onTopic = new Set((await readWithKcat(kafka.brokers, topic)).map(eventIdOf));
  const missing = ids.filter((id) => !onTopic.has(id));
  expect({ acknowledged: ids.length, missing: missing.length, firstMissing: missing.slice(0, 5) }).toEqual({ acknowledged: ids.length, missing: 0, firstMissing: [] });
}

/** Ends the flow and checks the promise: nothing dropped, all acknowledged, the spool drained, every event on the topic. */
async function expectNoneLost(run: ReturnType<typeof newClient> & { flow: { ids: string[]; stop(): void } }, gw: RunningAuditGateway, kafka: DedicatedKafka, topic: string) {
  run.flow.stop();
  await run.client.close(60_000);
  expect(await run.dropped()).toBe(0);
  expect(await run.sent()).toBe(run.flow.ids.length);
  await waitFor(async () => ((await metric(gw.httpUrl, 'audit_gateway_spool_events')) === 0 ? true : undefined), { timeoutMs: 120_000, intervalMs: 100, what: 'the spool drained' }).catch((err: Error) => {
    throw new Error(`${err.message}; the gateway's last output:\n${gw.output().slice(-4_000)}`);
  });
  await expectAllOnTopic(kafka, topic, run.flow.ids);
}

describe('no acknowledged audit event is lost', () => {
  let kafka: DedicatedKafka;
  let dataDir: string;
  const gateways: RunningAuditGateway[] = [];
  beforeAll(async () => {
    kafka = await startDedicatedKafka();
  }, 180_000);
  afterAll(async () => {
    await kafka?.destroy();
  }, 60_000);
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'audit-outage-'));
  });
  afterEach(async () => {
    for (const gw of gateways.splice(0)) await gw.stop();
    await kafka.start(); // a failed test may have left it stopped
    await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  it(`Kafka stopped for ${OUTAGE_MS / 1000} s while ${RATE_PER_SECOND} events/s flow, then restarted`, async () => {
    const topic = `audit-outage-${randomUUID().slice(0, 8)}`;
    const gw = await startAuditGateway({ kafkaBrokers: kafka.brokers, topic, dataDir, extraEnv: { KAFKA_ACK_TIMEOUT_MS: '2000' } });
    gateways.push(gw);
    const run = newClient(gw.address);
    const { client, sent } = run;
    const flow = startFlow(client);
    await atLeast('events flowing to Kafka', () => metric(gw.httpUrl, 'audit_gateway_events_produced_total'), 1_000);

    await kafka.stop();
    const stoppedAt = Date.now();
    await atLeast('the gateway spooling', () => metric(gw.httpUrl, 'audit_gateway_events_spooled_total'), 1);
    await delay(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))); // the outage itself is the scenario
    await kafka.start();
    const afterRestart = flow.ids.length;
    await atLeast('events after the restart acknowledged', sent, afterRestart + 1_000);
    await expectNoneLost({ ...run, flow }, gw, kafka, topic);
  });

  it('gateway SIGKILLed with events in its spool, restarted: it replays them', async () => {
    const topic = `audit-kill-${randomUUID().slice(0, 8)}`;
    const first = await startAuditGateway({ kafkaBrokers: kafka.brokers, topic, dataDir, extraEnv: { KAFKA_ACK_TIMEOUT_MS: '2000' } });
    const run = newClient(first.address);
    const { client, sent } = run;
    const flow = startFlow(client);
    await atLeast('events flowing to Kafka', () => metric(first.httpUrl, 'audit_gateway_events_produced_total'), 1_000);
    await kafka.stop();
    await atLeast('a spool worth killing', () => metric(first.httpUrl, 'audit_gateway_events_spooled_total'), 2_000);
    await first.kill();

    await kafka.start();
    const second = await startAuditGateway({ kafkaBrokers: kafka.brokers, topic, dataDir, grpcPort: first.grpcPort, httpPort: first.httpPort });
    gateways.push(second);
    const afterRestart = flow.ids.length;
    await atLeast('the client reconnected to the new gateway', sent, afterRestart + 1_000);
    await expectNoneLost({ ...run, flow }, second, kafka, topic);
    expect(second.output()).toContain('replaying the audit spool');
  });
});
