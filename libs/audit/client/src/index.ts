export { NoopAuditClient, type AuditClient } from './lib/audit-client';
export { auditClientFor, createAuditClient, type AuditClientOptions } from './lib/create-audit-client';
export type { OverflowPolicy } from './lib/batching-audit-client';
export { AuditSendError, type AuditTransport } from './lib/audit-transport';
export { AUDIT_TOKEN_METADATA_KEY, RETRY_PUSHBACK_KEY } from './lib/grpc-audit-transport';
export { toPackageEvent } from './lib/to-package-event';
