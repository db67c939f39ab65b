export {
  ACTION_OF_EVENT_TYPE, EVENT_TYPES, ACTIONS, AUDIT_EVENT_FIELDS,
  type AuditEvent, type AuditEventInput, type AuditEventType, type AuditAction, type AuditRegistry, type AuditSource,
} from './lib/audit-event';
export { createAuditEvent, toAuditJson, auditMessageKey } from './lib/create-audit-event';
