import type { AuditEventInput } from '@registry/audit-event';

/**
 * What the proxies depend on (a narrow interface over the generated gRPC client). record() never blocks and never throws: the event is
 * queued and shipped to the gateway in batches; the HTTP response never waits for it.
 */
export interface AuditClient {
  record(event: AuditEventInput): void;
  /** Flushes what is queued, waiting at most `deadlineMs`, then closes the channel. */
  close(deadlineMs?: number): Promise<void>;
  /** True when the gateway answered recently (readiness); a disabled client is always ready. */
  isHealthy(): boolean;
}

/** The client used when audit is disabled: accepts and forgets. */
export class NoopAuditClient implements AuditClient {
  record(_event: AuditEventInput): void {
    /* audit disabled */
  }
  async close(): Promise<void> {
    /* nothing queued */
  }
  isHealthy(): boolean {
    return true;
  }
}
