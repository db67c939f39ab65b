import { Counter, Gauge, Registry } from 'prom-client';

export interface AuditClientMetrics {
  /**
   * What record() counts on every event, as plain numbers: prom-client hashes labels and validates on each call,
   * so `_events_recorded_total` and `_queue_depth` are read from here when the registry is collected (a scrape).
   * The client sets `queueDepth` to read its queue.
   */
  readonly live: { recorded: number; queueDepth: () => number };
  sent: Counter;
  dropped: Counter<'reason'>;
  sendFailures: Counter;
}

/** prom-client metrics of one audit client, registered in the caller's registry (or a private one). */
export function createAuditClientMetrics(registry: Registry = new Registry(), prefix = 'audit_client'): AuditClientMetrics {
  const registers = [registry];
  const live = { recorded: 0, queueDepth: () => 0 };
  let reported = 0;
  new Counter({
    name: `${prefix}_events_recorded_total`, help: 'Events handed to record()', registers,
    collect() {
      this.inc(live.recorded - reported);
      reported = live.recorded;
    },
  });
  new Gauge({
    name: `${prefix}_queue_depth`, help: 'Events waiting for a gateway acknowledgement', registers,
    collect() {
      this.set(live.queueDepth());
    },
  });
  return {
    live,
    sent: new Counter({ name: `${prefix}_events_sent_total`, help: 'Events acknowledged by the audit gateway', registers }),
    dropped: new Counter({
      name: `${prefix}_events_dropped_total`,
      help: 'Events lost on purpose: queue_full (overflow policy), invalid (gateway rejected), closed (deadline hit at close)',
      labelNames: ['reason'] as const,
      registers,
    }),
    sendFailures: new Counter({ name: `${prefix}_send_failures_total`, help: 'Batches that failed and were retried', registers }),
  };
}
