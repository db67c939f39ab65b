import { RecordBatchRequest, type PackageEvent } from '@registry/audit-proto';
import { AuditSendError, type AuditTransport, type EncodedAuditEvent } from './audit-transport';

/** Test transport: a gateway that is up, down, or answers with a scripted error; it decodes what it receives. */
export class FakeAuditTransport implements AuditTransport {
  readonly delivered: PackageEvent[] = [];
  readonly attempts: { at: number; size: number }[] = [];
  isUp = true;
  /** Scripted answers, consumed one per call before the up/down state applies. */
  readonly script: AuditSendError[] = [];
  /** Events whose extra.event_id is listed are refused as invalid. */
  readonly invalidIds = new Set<string>();
  /** When set, calls wait on this promise before answering (an in-flight batch). */
  gate: Promise<void> | undefined;
  closed = false;

  async send(entries: readonly EncodedAuditEvent[]): Promise<void> {
    this.attempts.push({ at: Date.now(), size: entries.length });
    if (this.gate) await this.gate;
    const scripted = this.script.shift();
    if (scripted) throw scripted;
    if (!this.isUp) throw new AuditSendError('retry', 'gateway down');
    const events = RecordBatchRequest.decode(Buffer.concat(entries)).events;
    if (events.some((e) => this.invalidIds.has(e.extra['event_id'] ?? ''))) throw new AuditSendError('invalid', 'bad event');
    this.delivered.push(...events);
  }

  close(): void {
    this.closed = true;
  }

  deliveredIds(): string[] {
    return this.delivered.map((e) => e.extra['event_id'] ?? '');
  }
}
