import { Metadata, status, type StatusObject } from '@grpc/grpc-js';
import { RETRY_PUSHBACK_KEY } from '@registry/audit-client';
import { isAppError, type ErrorCode } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';

/** The one AppError → gRPC status mapping (style §3.4); a new ErrorCode breaks compilation here. */
export const GRPC_STATUS = {
  invalid_request: status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  forbidden: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  method_not_allowed: status.UNIMPLEMENTED,
  not_acceptable: status.INVALID_ARGUMENT,
  conflict: status.ALREADY_EXISTS,
  gone: status.NOT_FOUND,
  // Not RESOURCE_EXHAUSTED: clients retry that one, and a too-large request will not shrink by waiting.
  payload_too_large: status.INVALID_ARGUMENT,
  precondition_failed: status.FAILED_PRECONDITION,
  range_not_satisfiable: status.OUT_OF_RANGE,
  too_many_requests: status.RESOURCE_EXHAUSTED,
  upstream_unavailable: status.UNAVAILABLE,
  upstream_timeout: status.DEADLINE_EXCEEDED,
  integrity_mismatch: status.DATA_LOSS,
  unavailable: status.UNAVAILABLE,
  resource_exhausted: status.RESOURCE_EXHAUSTED,
  internal: status.INTERNAL,
} as const satisfies Record<ErrorCode, status>;

/**
 * AppError → its status, with `details.retryAfterMs` as the pushback hint. Anything else is a bug:
 * INTERNAL with a generic message, logged with its stack.
 */
export function toStatusObject(err: unknown, logger: Logger): Partial<StatusObject> {
  const metadata = new Metadata();
  if (!isAppError(err)) {
    logger.error({ err }, 'gRPC call failed');
    return { code: status.INTERNAL, details: 'internal error', metadata };
  }
  const retryAfterMs = err.details?.['retryAfterMs'];
  if (typeof retryAfterMs === 'number') metadata.set(RETRY_PUSHBACK_KEY, String(retryAfterMs));
  return { code: GRPC_STATUS[err.code], details: err.publicMessage, metadata };
}
