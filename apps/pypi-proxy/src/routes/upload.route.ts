import { Router, type Request, type Response } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import type { IdentityService } from '@registry/auth-identity';
import type { PypiService } from '@registry/pypi-service';
import { requestContext, statusOfError } from '../http/request-context';
import { requirePrincipal } from '../http/require-principal';
import { parseUploadForm, type ParseUploadOptions } from '../upload/parse-upload-form';

export interface UploadRouteOptions extends ParseUploadOptions {
  service: PypiService;
  identity: IdentityService;
  logger: Logger;
}

/**
 * The legacy upload API (protocols §2) at `/legacy/` and `/legacy` — never redirected, because twine
 * and poetry refuse redirects on POST. Errors put their message in the reason phrase (twine prints it)
 * and in a body that is JSON for uv (it asks for JSON and shows `code`) and plain text otherwise.
 */
export function uploadRouter(opts: UploadRouteOptions): Router {
  const router = Router();
  const handler = async (req: Request, res: Response) => {
    const ctx = requestContext(req, res);
    let cleanup: (() => Promise<void>) | undefined;
    try {
      const result = await opts.service.upload({
        authenticate: () => requirePrincipal(opts.identity, req),
        readForm: async () => {
          const parsed = await parseUploadForm(req, opts);
          cleanup = parsed.cleanup;
          return parsed.form;
        },
      }, ctx);
      res.status(200).type('text/plain').send(result.message);
    } catch (err) {
      // Read what is left of the body first: answering mid-upload and closing makes clients see a reset
      // (EPIPE) instead of our 401/403/400. A body larger than the upload limit is cut off.
      const drained = await drainRequest(req, opts.maxFileBytes + 16 * 1024 * 1024);
      if (!drained) res.set('Connection', 'close');
      sendUploadError(req, res, err, opts.logger);
    } finally {
      await cleanup?.();
    }
  };
  router.post('/legacy/', handler);
  router.post('/legacy', handler);
  return router;
}

function sendUploadError(req: Request, res: Response, err: unknown, logger: Logger): void {
  const status = statusOfError(err);
  const message = isAppError(err) ? err.message : 'Internal server error';
  if (!isAppError(err)) logger.error({ err, reqId: req.id }, 'upload failed');
  const appError = isAppError(err) ? err : new AppError('internal', message);
  res.status(status).set(appError.headers);
  res.statusMessage = message.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
  if (req.accepts(['text/plain', 'application/json']) === 'application/json' && req.get('accept')?.includes('json')) {
    res.type('application/json').send(JSON.stringify({ message, code: `${status} ${message}`, title: res.statusMessage }));
  } else {
    res.type('text/plain').send(`${status} ${message}\n`);
  }
}

/** Consumes the rest of the request body; false when it was larger than `maxBytes` or broke off. */
function drainRequest(req: Request, maxBytes: number): Promise<boolean> {
  if (req.readableEnded || req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) finish(false);
    };
    const finish = (ok: boolean) => {
      req.off('data', onData);
      req.pause();
      resolve(ok);
    };
    req.on('data', onData);
    req.once('end', () => finish(true));
    req.once('error', () => finish(false));
    req.once('close', () => finish(req.complete));
    req.resume();
  });
}
