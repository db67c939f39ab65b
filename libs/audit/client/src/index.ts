export { NoopAuditClient, type AuditClient } from './lib/audit-client';
