import type { AuditEvent } from '@registry/audit-event';
import type { GatewayMetrics } from '../gateway-metrics';
import type { AuditSink } from './audit-sink';

/** KAFKA_BROKERS unset: audit is off. Events are validated and counted, and produced nowhere. */
export class DisabledSink implements AuditSink {
  constructor(private readonly metrics: GatewayMetrics) {}

  async publish(events: AuditEvent[]): Promise<void> {
    this.metrics.discarded.inc(events.length);
  }

  async checkReady(): Promise<void> {
    /* always ready: nothing to wait for */
  }

  async close(): Promise<void> {
    /* nothing buffered */
  }
}
