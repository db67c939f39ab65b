// Public API of audit-http: audit events recorded once per HTTP request, for both registries.
export { auditTrail, auditedRoute, declareAudit, type AuditFacts, type AuditRecorder } from './lib/audit-trail';
