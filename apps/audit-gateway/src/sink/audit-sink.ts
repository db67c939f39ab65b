import type { AuditEvent } from '@registry/audit-event';

/** Where the gateway puts validated events (style §3.3): Kafka with a spool, or nothing (disabled). */
export interface AuditSink {
  /**
   * Resolves only when every event is durable (acknowledged by Kafka or fsync'd to the spool); the
   * gateway acknowledges the gRPC call after that. Throws AppError('resource_exhausted') with
   * details.retryAfterMs when it cannot take more now.
   */
  publish(events: AuditEvent[]): Promise<void>;
  /** Readiness: throws with the reason when not ready (e.g. the topic is not there yet). */
  checkReady(): Promise<void>;
  /** Flushes what it can within `deadlineMs`; what is left stays on disk for the next start. */
  close(deadlineMs: number): Promise<void>;
}
