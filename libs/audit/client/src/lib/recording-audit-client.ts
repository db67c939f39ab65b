import { createAuditEvent, type AuditEvent, type AuditEventInput } from '@registry/audit-event';
import type { AuditClient } from './audit-client';

/** Test fake: keeps every event, complete, in order. */
export class RecordingAuditClient implements AuditClient {
  readonly events: AuditEvent[] = [];
  record(event: AuditEventInput): void {
    this.events.push(createAuditEvent(event));
  }
  async close(): Promise<void> {
    /* nothing to flush */
  }
  isHealthy(): boolean {
    return true;
  }
  ofType(type: AuditEvent['event_type']): AuditEvent[] {
    return this.events.filter((e) => e.event_type === type);
  }
  clear(): void {
    this.events.length = 0;
  }
}
