import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import { isClientGone } from './client-gone';
import { HTTP_STATUS } from './http-status';
import { redactUrl } from './redact-url';
import { noteFailure } from './send-body';

/** Body of every error response: `{ error, code }` (npm clients print `error`; pip prints the status line). */
export interface ErrorBody {
  error: string;
  code: string;
  [key: string]: unknown;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `not found: ${req.method} ${req.path}`));
};

/**
 * Maps AppError to its status once; anything else is a bug: 500 with a generic message, logged with its stack.
 * A client that hung up mid-response (cancelled download) is routine: one debug line, no 500, no stack.
 * When headers were already sent (a stream failed midway) the socket is destroyed so the client sees a
 * truncated body and not a silently short "complete" one.
 */
const UPSTREAM_FAULTS = new Set<string>(['upstream_unavailable', 'upstream_timeout']);
const UPSTREAM_RETRY_AFTER_SECONDS = 10;

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (isClientGone(err, req, res)) {
      logger.debug({ reqId: req.id, url: redactUrl(req.originalUrl), reason: describe(err) }, 'client closed the connection before the response finished');
      res.destroy();
      return;
    }
    const appError = toAppError(err);
    const status = HTTP_STATUS[appError.code];
    if (status >= 500) logger.error({ err, reqId: req.id, url: redactUrl(req.originalUrl) }, 'request failed');
    else logger.debug({ code: appError.code, reqId: req.id, msg: appError.message }, 'request rejected');
    if (res.headersSent) {
      noteFailure(res, appError);
      res.destroy(appError);
      return;
    }
    res.status(status).set(appError.headers);
    if (appError.reasonPhrase !== undefined) res.statusMessage = reasonPhraseOf(appError.reasonPhrase);
    // An upstream fault is worth retrying soon: clients (npm, pip) honour Retry-After on 502/503/504.
    if (UPSTREAM_FAULTS.has(appError.code) && !res.hasHeader('retry-after')) res.set('retry-after', String(UPSTREAM_RETRY_AFTER_SECONDS));
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // The public message: storage keys and paths in `message` stay in the log (logged above).
    const body: ErrorBody = { error: appError.publicMessage, code: appError.code, ...(appError.details ?? {}) };
    res.json(body);
  };
}

function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser and friends signal client errors with a status; keep them 4xx.
  if (e && e.type === 'entity.too.large') return new AppError('payload_too_large', 'request body too large');
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError('invalid_request', e.message ?? 'bad request');
  }
  return new AppError('internal', 'internal server error', { cause: err });
}

const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** One line of printable ASCII (RFC 9112 reason-phrase), bounded. */
const reasonPhraseOf = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
