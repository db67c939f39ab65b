export { RecordingAuditClient } from './lib/recording-audit-client';
