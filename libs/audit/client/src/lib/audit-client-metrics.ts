import { Counter, Gauge, Registry } from 'prom-client';

export interface AuditClientMetrics {
  recorded: Counter;
  sent: Counter;
  dropped: Counter<'reason'>;
  sendFailures: Counter;
  queueDepth: Gauge;
}

/** prom-client metrics of one audit client, registered in the caller's registry (or a private one). */
export function createAuditClientMetrics(registry: Registry = new Registry(), prefix = 'audit_client'): AuditClientMetrics {
  const registers = [registry];
  return {
    recorded: new Counter({ name: `${prefix}_events_recorded_total`, help: 'Events handed to record()', registers }),
    sent: new Counter({ name: `${prefix}_events_sent_total`, help: 'Events acknowledged by the audit gateway', registers }),
    dropped: new Counter({
      name: `${prefix}_events_dropped_total`,
      help: 'Events lost on purpose: queue_full (overflow policy), invalid (gateway rejected), closed (deadline hit at close)',
      labelNames: ['reason'] as const,
      registers,
    }),
    sendFailures: new Counter({ name: `${prefix}_send_failures_total`, help: 'Batches that failed and were retried', registers }),
    queueDepth: new Gauge({ name: `${prefix}_queue_depth`, help: 'Events waiting for a gateway acknowledgement', registers }),
  };
}
