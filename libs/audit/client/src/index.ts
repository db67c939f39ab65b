export { NoopAuditClient, type AuditClient } from './lib/audit-client';
export { auditClientFor, createAuditClient, type AuditClientOptions } from './lib/create-audit-client';
export type { OverflowPolicy } from './lib/batching-audit-client';
export { AUDIT_TOKEN_METADATA_KEY, AuditSendError, RETRY_PUSHBACK_KEY, type AuditTransport, type EncodedAuditEvent } from './lib/audit-transport';
export { toPackageEvent } from './lib/to-package-event';
