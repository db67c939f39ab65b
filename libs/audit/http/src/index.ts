// Public API of audit-http: audit events recorded once per HTTP request, for both registries.
export {
  auditTrail, auditedRoute, declareAudit, declareServedFrom, declareUser, type AuditFacts, type AuditRecorder, type AuditTrailOptions, type ServedFrom,
} from './lib/audit-trail';
export { cacheResultOf, type CacheResult } from './lib/cache-requests';
