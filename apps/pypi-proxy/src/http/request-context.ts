import type { Request, Response } from 'express';
import { isAppError } from '@registry/shared-errors';
import { abortOnClose, HTTP_STATUS } from '@registry/shared-http-server';
import type { RequestContext } from '@registry/pypi-service';

/** The caller's identity fields for audit events; `req.ip` honours X-Forwarded-For only with TRUST_PROXY. */
export function requestContext(req: Request, res: Response): RequestContext {
  return {
    requestId: String(req.id),
    userAgent: req.get('user-agent') ?? null,
    remoteAddr: req.ip ?? null,
    signal: abortOnClose(res),
    statusOfError,
  };
}

export const statusOfError = (err: unknown): number => (isAppError(err) ? HTTP_STATUS[err.code] : 500);
