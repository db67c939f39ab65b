import { auditMessageKey, toAuditJson, type AuditEvent } from '@registry/audit-event';

/** One Kafka message: key `<registry>:<package>` (per-package order), value the event JSON. */
export interface AuditRecord {
  key: string;
  value: string;
}

export const toAuditRecord = (event: AuditEvent): AuditRecord => ({ key: auditMessageKey(event), value: toAuditJson(event) });

/** The spool keeps only values (one JSON per line); the key is derived again when draining. */
export function auditRecordFromValue(value: string): AuditRecord {
  return { key: auditMessageKey(JSON.parse(value) as AuditEvent), value };
}
