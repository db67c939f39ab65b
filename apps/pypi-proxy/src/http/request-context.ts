import type { Request, Response } from 'express';
import { isAppError } from '@registry/shared-errors';
import { abortOnClose, HTTP_STATUS } from '@registry/shared-http-server';
import type { RequestContext } from '@registry/pypi-service';

/**
 * The caller's identity fields for audit events; `req.ip` honours X-Forwarded-For only with TRUST_PROXY.
 * The abort signal is made on first use: page requests never need one, and an AbortController plus a
 * 'close' listener per request is measurable garbage at thousands of requests per second.
 */
export function requestContext(req: Request, res: Response): RequestContext {
  let signal: AbortSignal | undefined;
  return {
    requestId: String(req.id),
    userAgent: req.get('user-agent') ?? null,
    remoteAddr: req.ip ?? null,
    get signal(): AbortSignal {
      signal ??= res.closed && !res.writableFinished ? AbortSignal.abort(new Error('client closed the connection')) : abortOnClose(res);
      return signal;
    },
    statusOfError,
  };
}

export const statusOfError = (err: unknown): number => (isAppError(err) ? HTTP_STATUS[err.code] : 500);
