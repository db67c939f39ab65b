import { AppError, isAppError } from '@registry/shared-errors';

/**
 * Without a copy an upstream fault is the client's answer: the message says both halves of what happened
 * ("not cached" and "the upstream is unavailable"), the code (502/504, Retry-After) stays the upstream's.
 */
export function notCached(what: string, err: unknown): unknown {
  if (!isAppError(err) || (err.code !== 'upstream_unavailable' && err.code !== 'upstream_timeout')) return err;
  return new AppError(err.code, `${what} is not cached and the upstream is unavailable (${err.message})`, { cause: err, ...(err.details ? { details: err.details } : {}) });
}
