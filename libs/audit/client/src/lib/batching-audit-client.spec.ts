import { Registry } from 'prom-client';
import { silentLogger } from '@registry/shared-logger';
import { AuditSendError } from './audit-transport';
import { createAuditClient, type AuditClientOptions } from './create-audit-client';
import { FakeAuditTransport } from './fake-audit-transport';

const ids = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `e${from + i}`);

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setImmediate(r));
  }
}

function setup(overrides: Partial<AuditClientOptions> = {}) {
  const transport = new FakeAuditTransport();
  const registry = new Registry();
  const client = createAuditClient({
    address: 'unused', logger: silentLogger, transport, metrics: registry,
    batchSize: 10, flushIntervalMs: 5, backoff: { initialMs: 1, maxMs: 5 }, ...overrides,
  });
  const record = (eventIds: string[]) =>
    eventIds.forEach((event_id) => client.record({ event_type: 'npm.search', status_code: 200, event_id, request_id: 'r' }));
  const metric = async (name: string, label?: string) => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.filter((v) => label === undefined || v.labels['reason'] === label).reduce((sum, v) => sum + v.value, 0);
  };
  return { transport, client, record, metric };
}

describe('BatchingAuditClient', () => {
  it('delivers every event, in order, in batches of at most batchSize', async () => {
    const { transport, client, record, metric } = setup();
    record(ids(0, 25));
    await until(() => transport.delivered.length === 25);
    expect(transport.deliveredIds()).toEqual(ids(0, 25));
    expect(Math.max(...transport.attempts.map((a) => a.size))).toBeLessThanOrEqual(10);
    expect(await metric('audit_client_events_sent_total')).toBe(25);
    await client.close();
    expect(transport.closed).toBe(true);
  });

  it('keeps events while the gateway is away and delivers them all when it returns', async () => {
    const { transport, client, record } = setup();
    transport.isUp = false;
    record(ids(0, 40));
    await until(() => transport.attempts.length >= 5);
    expect(client.isHealthy()).toBe(false);
    transport.isUp = true;
    record(ids(40, 50));
    await until(() => transport.delivered.length === 50);
    expect(transport.deliveredIds()).toEqual(ids(0, 50));
    expect(client.isHealthy()).toBe(true);
    await client.close();
  });

  it('removes a batch from the queue only after the gateway acknowledged it', async () => {
    const { transport, client, record, metric } = setup({ batchSize: 5 });
    let open!: () => void;
    transport.gate = new Promise((r) => (open = r));
    record(ids(0, 5));
    await until(() => transport.attempts.length === 1);
    expect(await metric('audit_client_queue_depth')).toBe(5);
    transport.gate = undefined;
    open();
    await until(() => transport.delivered.length === 5);
    expect(await metric('audit_client_queue_depth')).toBe(0);
    await client.close();
  });

  it('drop-newest: refuses new events when full, counts them, keeps the backlog', async () => {
    const { transport, client, record, metric } = setup({ maxQueue: 3, overflow: 'drop-newest' });
    transport.isUp = false;
    record(ids(0, 5));
    expect(await metric('audit_client_events_dropped_total', 'queue_full')).toBe(2);
    transport.isUp = true;
    await until(() => transport.delivered.length === 3);
    expect(transport.deliveredIds()).toEqual(ids(0, 3));
    await client.close();
  });

  it('drop-oldest: evicts the oldest queued event that is not in flight', async () => {
    const { transport, client, record, metric } = setup({ maxQueue: 3, overflow: 'drop-oldest', batchSize: 1 });
    let open!: () => void;
    transport.gate = new Promise((r) => (open = r));
    record(ids(0, 5));
    await until(() => transport.attempts.length === 1);
    expect(await metric('audit_client_events_dropped_total', 'queue_full')).toBe(2);
    transport.gate = undefined;
    open();
    await until(() => transport.delivered.length === 3);
    expect(transport.deliveredIds()).toEqual(['e0', 'e3', 'e4']);
    await client.close();
  });

  it('waits for the gateway retry hint on RESOURCE_EXHAUSTED', async () => {
    const { transport, client, record } = setup({ batchSize: 1 });
    transport.script.push(new AuditSendError('retry', 'spool full', 150));
    record(ids(0, 1));
    await until(() => transport.delivered.length === 1);
    const [first, second] = transport.attempts;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(140);
    await client.close();
  });

  it('drops only the events the gateway refuses as invalid', async () => {
    const { transport, client, record, metric } = setup();
    transport.invalidIds.add('e3');
    record(ids(0, 10));
    await until(() => transport.delivered.length === 9);
    expect(transport.deliveredIds()).toEqual(ids(0, 10).filter((id) => id !== 'e3'));
    expect(await metric('audit_client_events_dropped_total', 'invalid')).toBe(1);
    await client.close();
  });

  it('close() flushes a partial batch', async () => {
    const { transport, client, record } = setup({ flushIntervalMs: 60_000 });
    record(ids(0, 3));
    await client.close(2_000);
    expect(transport.deliveredIds()).toEqual(ids(0, 3));
  });

  it('close() gives up at its deadline when the gateway stays away, counting what is lost', async () => {
    const { transport, client, record, metric } = setup();
    transport.isUp = false;
    record(ids(0, 4));
    await client.close(100);
    expect(await metric('audit_client_events_dropped_total', 'closed')).toBe(4);
    expect(() => record(ids(4, 5))).not.toThrow();
  });

  it('sends a full batch at once and what is left after it only when the flush interval is up', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const { transport, client, record } = setup({ flushIntervalMs: 1_000 });
      record(ids(0, 15));
      await until(() => transport.delivered.length === 10);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(transport.attempts).toHaveLength(1);
      jest.advanceTimersByTime(1_000);
      await until(() => transport.delivered.length === 15);
      expect(transport.attempts.map((a) => a.size)).toEqual([10, 5]);
      await client.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts recorded events and the queue depth when the metrics are collected, not per event', async () => {
    const { transport, client, record, metric } = setup({ flushIntervalMs: 60_000 });
    transport.isUp = false;
    record(ids(0, 3));
    expect(await metric('audit_client_events_recorded_total')).toBe(3);
    record(ids(3, 5));
    expect(await metric('audit_client_events_recorded_total')).toBe(5);
    expect(await metric('audit_client_queue_depth')).toBe(5);
    await client.close(50);
  });

  it('record() never throws, even on input it cannot build an event from', () => {
    const { client } = setup();
    expect(() => client.record({ event_type: 'no.such.type' as never, status_code: 200 })).not.toThrow();
  });
});
