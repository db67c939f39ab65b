// With the shared real Kafka broker (tools/services): every event type reaches the topic with exactly
// the documented fields in order, read by kafkajs and by kcat, each message valid against the Avro file.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createAuditClient } from '@registry/audit-client';
import { AUDIT_EVENT_FIELDS, EVENT_TYPES, type AuditEventInput } from '@registry/audit-event';
import { createAvroValidator, eventIdOf, readAuditEvents, readWithKcat, startAuditGateway, type RunningAuditGateway } from '@registry/audit-testing';
import { silentLogger } from '@registry/shared-logger';

const brokers = process.env['KAFKA_BROKERS'];
if (!brokers) throw new Error('KAFKA_BROKERS is not set: run `npm run services:up` and `set -a; source .services/env; set +a`');

const runId = randomUUID().slice(0, 8);

describe('audit gateway → real Kafka', () => {
  let dataDir: string;
  let gateway: RunningAuditGateway | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'audit-int-'));
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the topic with the configured partitions, and every event type arrives with exactly the fields, in order', async () => {
    const topic = `audit-int-types-${runId}`;
    gateway = await startAuditGateway({ kafkaBrokers: brokers, topic, dataDir, extraEnv: { KAFKA_AUDIT_PARTITIONS: '3' } });
    const client = createAuditClient({ address: gateway.address, logger: silentLogger, flushIntervalMs: 10 });
    const inputs: AuditEventInput[] = EVENT_TYPES.map((event_type, i) => ({
      event_type, status_code: i % 3 === 0 ? 404 : 200, request_id: `req-${i}`, event_id: randomUUID(),
      ...(i % 2 === 0
        ? { package: `pkg-${i}`, version: '1.0.0', filename: `pkg-${i}-1.0.0.tgz`, source: 'upstream' as const, user_agent: 'npm/10', remote_addr: '127.0.0.1', size: 1234 + i }
        : {}),
    }));
    inputs.forEach((input) => client.record(input));
    await client.close(10_000);

    const wanted = new Set(inputs.map((i) => i.event_id));
    const viaKafkajs = await readAuditEvents({ brokers, topic, timeoutMs: 30_000, until: (ms) => ms.filter((m) => wanted.has(eventIdOf(m))).length === wanted.size });
    const viaKcat = await readWithKcat(brokers, topic);
    const avro = createAvroValidator();
    for (const messages of [viaKafkajs, viaKcat]) {
      expect(messages.map(eventIdOf).sort()).toEqual([...wanted].sort());
      for (const m of messages) {
        expect(Object.keys(m.event)).toEqual([...AUDIT_EVENT_FIELDS]);
        expect(m.key).toBe(`${m.event['registry']}:${m.event['package'] ?? ''}`);
        expect({ id: eventIdOf(m), avroErrors: avro.errors(m.value) }).toEqual({ id: eventIdOf(m), avroErrors: [] });
      }
    }
    const byType = new Map(viaKcat.map((m) => [m.event['event_type'], m.event]));
    expect([...byType.keys()].sort()).toEqual([...EVENT_TYPES].sort());
    // A failed login is an event too, with its status (audit issue).
    expect(byType.get('npm.user.login')).toMatchObject({ registry: 'npm', action: 'login', package: null, size: null, status_code: 404 });
    expect(byType.get('pypi.package.download')).toMatchObject({ registry: 'pypi', action: 'download', source: 'upstream', size: 1234, status_code: 404 });

    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(meta.topics[0]?.partitions).toHaveLength(3);
  });

  it('with KAFKA_BROKERS unset produces nothing anywhere, and still answers', async () => {
    const topic = `audit-int-disabled-${runId}`;
    gateway = await startAuditGateway({ topic, dataDir });
    const client = createAuditClient({ address: gateway.address, logger: silentLogger, flushIntervalMs: 10 });
    for (const event_type of EVENT_TYPES) client.record({ event_type, status_code: 200, request_id: 'r' });
    await client.close(10_000);
    const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^audit_gateway_events_discarded_total 12$/m);
    expect(metrics).toMatch(/^audit_gateway_events_produced_total 0$/m);
    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).not.toContain(topic);
  });
});
