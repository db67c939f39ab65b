import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuditEvent, type AuditEvent } from '@registry/audit-event';
import { silentLogger } from '@registry/shared-logger';
import { Registry } from 'prom-client';
import { createGatewayMetrics } from '../gateway-metrics';
import type { AuditRecord } from './audit-record';
import { DurableSink } from './durable-sink';
import type { EventProducer } from './event-producer';
import { Spool } from './spool';

/** A Kafka that is up or down; what it acknowledged is in `acked`. */
class FakeProducer implements EventProducer {
  isUp = true;
  readonly acked: AuditRecord[] = [];
  async connect(): Promise<void> {
    if (!this.isUp) throw new Error('broker down');
  }
  async produce(records: AuditRecord[]): Promise<void> {
    if (!this.isUp) throw new Error('broker down');
    this.acked.push(...records);
  }
  async disconnect(): Promise<void> {}
  ids(): string[] {
    return this.acked.map((r) => (JSON.parse(r.value) as AuditEvent).extra['event_id'] ?? '');
  }
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const events = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => createAuditEvent({ event_type: 'npm.package.download', status_code: 200, package: 'left-pad', event_id: `id-${from + i}` }));
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `id-${from + i}`);

describe('DurableSink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'audit-spool-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const makeSink = (producer: EventProducer, maxBytes = 1024 * 1024) => {
    const spool = new Spool(dir, { maxBytes, segmentBytes: 2_000, retryAfterMs: 250, logger: silentLogger });
    return { spool, sink: new DurableSink({ producer, spool, metrics: createGatewayMetrics(new Registry()), logger: silentLogger, ackTimeoutMs: 500 }) };
  };

  it('produces directly when Kafka is up, and reports ready once the topic exists', async () => {
    const producer = new FakeProducer();
    const { sink } = makeSink(producer);
    await sink.start();
    await sink.publish(events(0, 3));
    await until(() => producer.acked.length === 3);
    await expect(sink.checkReady()).resolves.toBeUndefined();
    await sink.publish(events(3, 6));
    // The first batch may still be leaving the spool when the second arrives (it then queues behind it);
    // either way all six reach Kafka, in order.
    await until(() => producer.acked.length === 6);
    expect(producer.ids()).toEqual(ids(0, 6));
    expect(producer.acked[0]?.key).toBe('npm:left-pad');
    await sink.close(1_000);
  });

  it('spools while Kafka is down, then drains everything in order when it returns', async () => {
    const producer = new FakeProducer();
    producer.isUp = false;
    const { sink, spool } = makeSink(producer);
    await sink.start();
    await expect(sink.checkReady()).rejects.toThrow(/not created/);
    for (let i = 0; i < 50; i += 10) await sink.publish(events(i, i + 10)); // acknowledged = fsync'd
    expect(spool.events).toBe(50);
    producer.isUp = true;
    await until(() => producer.acked.length === 50);
    expect(producer.ids()).toEqual(ids(0, 50));
    await until(() => spool.isEmpty());
    await sink.close(1_000);
  });

  it('replays what a crashed run left in the spool', async () => {
    const down = new FakeProducer();
    down.isUp = false;
    const first = makeSink(down);
    await first.sink.start();
    await first.sink.publish(events(0, 7));
    // no close(): the process "died" here
    const producer = new FakeProducer();
    const second = makeSink(producer);
    await second.sink.start();
    await until(() => producer.acked.length === 7);
    expect(producer.ids()).toEqual(ids(0, 7));
    await second.sink.close(1_000);
    await first.sink.close(10);
  });

  it('answers resource_exhausted with a retry hint when the spool is full, and keeps what it had', async () => {
    const producer = new FakeProducer();
    producer.isUp = false;
    const { sink, spool } = makeSink(producer, 1_500);
    await sink.start();
    await sink.publish(events(0, 2));
    await expect(sink.publish(events(2, 12))).rejects.toMatchObject({ code: 'resource_exhausted', details: { retryAfterMs: 250 } });
    expect(spool.events).toBe(2);
    await sink.close(10);
  });
});
