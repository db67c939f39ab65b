import { AppError, isAppError } from '@registry/shared-errors';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Socket failures after which a GET/HEAD may be retried: the peer dropped a (kept-alive) connection. */
const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

const codeOf = (err: unknown): string | undefined => {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((err as { cause?: unknown }).cause);
};

export const isRetryableConnectionError = (err: unknown): boolean => RETRYABLE_CODES.has(codeOf(err) ?? '');

export const isAbortError = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';

/**
 * Translates undici/socket errors at the adapter boundary, so no undici type leaks out. Abort errors pass through
 * unchanged so callers can tell "the client went away" from "the upstream failed".
 */
export function toUpstreamError(err: unknown, safeUrl: string): unknown {
  if (isAppError(err) || isAbortError(err)) return err;
  const code = codeOf(err) ?? 'unknown';
  if (TIMEOUT_CODES.has(code)) {
    return new AppError('upstream_timeout', `upstream timed out (${code}) for ${safeUrl}`, { cause: err });
  }
  return new AppError('upstream_unavailable', `upstream request failed (${code}) for ${safeUrl}`, { cause: err });
}
