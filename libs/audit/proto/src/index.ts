// Public API of audit-proto: the ts-proto output for proto/registry/audit/v1/audit.proto.
// src/generated is produced by the `codegen` target (never committed, never edited; style §3.11).
export {
  PackageEvent,
  RecordBatchRequest,
  RecordBatchResponse,
  AuditServiceService,
  AuditServiceClient,
  type AuditServiceServer,
} from './generated/registry/audit/v1/audit';
