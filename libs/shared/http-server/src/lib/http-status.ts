import type { ErrorCode } from '@registry/shared-errors';

/** The one AppError → HTTP mapping; a new ErrorCode breaks compilation here until it has a status. */
export const HTTP_STATUS = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  precondition_failed: 412,
  range_not_satisfiable: 416,
  too_many_requests: 429,
  upstream_unavailable: 502,
  upstream_timeout: 504,
  integrity_mismatch: 502,
  unavailable: 503,
  resource_exhausted: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;
