// Public API of audit-proto: the ts-proto output for proto/registry/audit/v1/audit.proto.
// src/generated is produced by the `codegen` target (never committed, never edited: consumers use audit-client's narrow interface).
export {
  PackageEvent,
  RecordBatchRequest,
  RecordBatchResponse,
  AuditServiceService,
  AuditServiceClient,
  type AuditServiceServer,
} from './generated/registry/audit/v1/audit';
