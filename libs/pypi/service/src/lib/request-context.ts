import type { AuditClient } from '@registry/audit-client';
import type { AuditEventInput } from '@registry/audit-event';

/** What the transport knows about the caller; every audit event carries it. */
export interface RequestContext {
  requestId: string;
  userAgent: string | null;
  /** Client address (X-Forwarded-For only when the app trusts its proxy). */
  remoteAddr: string | null;
  signal?: AbortSignal;
  /** The transport's status for an error (one mapping, in the transport), so failure events carry it. */
  statusOfError: (err: unknown) => number;
}

type EventFields = Omit<AuditEventInput, 'request_id' | 'user_agent' | 'remote_addr'>;

/** Records one audit event with the request's identity fields; never blocks or throws (AuditClient contract). */
export function recordEvent(audit: AuditClient, ctx: RequestContext, fields: EventFields): void {
  audit.record({ ...fields, request_id: ctx.requestId, user_agent: ctx.userAgent, remote_addr: ctx.remoteAddr });
}
