/**
 * The closed set of failure kinds. Each transport maps every code exactly once
 * (HTTP in shared-http-server, gRPC in audit-gateway); adding one breaks compilation there.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'precondition_failed'
  | 'range_not_satisfiable'
  | 'too_many_requests'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'integrity_mismatch'
  | 'unavailable'
  | 'resource_exhausted'
  | 'internal';

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra response headers a transport may send (e.g. WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;
  /** Machine-readable details safe to show to the client. */
  details?: Record<string, unknown>;
  /**
   * What clients are told when `message` names internals (storage keys, file paths, lock files): transports
   * send this and only log `message`. Default: the message itself.
   */
  publicMessage?: string;
  /**
   * A reason phrase for the status line, for clients that print only that (pip prints `403 Client Error: <reason>`
   * and never the body); the transport keeps it to one line of printable ASCII.
   */
  reasonPhrase?: string;
}

/** The one error type of the code base; anything else that reaches a transport is a bug (500/INTERNAL). */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly headers: Record<string, string>;
  readonly details: Record<string, unknown> | undefined;
  /** The message a client may see (never a storage key or path); `message` is for logs. */
  readonly publicMessage: string;
  readonly reasonPhrase: string | undefined;

  constructor(readonly code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.headers = options.headers ?? {};
    this.details = options.details;
    this.publicMessage = options.publicMessage ?? message;
    this.reasonPhrase = options.reasonPhrase;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

/** Every code, for exhaustive mapping tests. */
export const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_request', 'unauthenticated', 'forbidden', 'not_found', 'method_not_allowed', 'not_acceptable',
  'conflict', 'gone', 'payload_too_large', 'precondition_failed', 'range_not_satisfiable', 'too_many_requests',
  'upstream_unavailable', 'upstream_timeout', 'integrity_mismatch', 'unavailable', 'resource_exhausted', 'internal',
];
