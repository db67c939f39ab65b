import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import { declareAudit } from '@registry/audit-http';
import { HTTP_STATUS } from '@registry/shared-http-server';
import type { Logger } from '@registry/shared-logger';
import type { PypiService } from '@registry/pypi-service';
import { principalOf, type Route } from '../http/route';
import { parseUploadForm, type ParseUploadOptions } from '../upload/parse-upload-form';

export interface UploadRouteOptions extends ParseUploadOptions {
  pypi: PypiService;
  route: Route;
  logger: Logger;
}

/**
 * The legacy upload API (protocols §2) at `/legacy/` and `/legacy` — never redirected, because twine and poetry
 * refuse redirects on POST (protocols §8.16). Credentials are checked before the body is read. Errors put their
 * message in the reason phrase (twine prints it) and in a body that is JSON for uv (it asks for JSON and shows
 * `code`) and plain text otherwise.
 */
export function uploadRouter(opts: UploadRouteOptions): Router {
  const { pypi, route } = opts;
  const router = Router();
  const upload = route('user', () => ({ event_type: 'pypi.package.upload' }), async (req, res) => {
    const principal = principalOf(res);
    const parsed = await parseUploadForm(req, opts);
    try {
      const { content } = parsed.form;
      if (content !== undefined) declareAudit(res, { filename: content.filename, size: content.size });
      const valid = pypi.validateUpload(parsed.form);
      declareAudit(res, { package: valid.normalized, version: valid.version });
      const result = await pypi.upload(valid, principal);
      declareAudit(res, { extra: { created: String(result.created) } });
      res.status(200).type('text/plain').send(result.message);
    } finally {
      await parsed.cleanup();
    }
  });
  router.post('/legacy/', upload);
  router.post('/legacy', upload);
  router.use(uploadErrorHandler(opts));
  return router;
}

/** Only errors of the upload routes reach this (Express hands an error to the error handlers of its own router). */
function uploadErrorHandler(opts: UploadRouteOptions): ErrorRequestHandler {
  return async (err: unknown, req, res, next) => {
    try {
      // Read what is left of the body first: answering mid-upload and closing makes clients see a reset
      // (EPIPE) instead of our 401/403/400. A body larger than the upload limit is cut off.
      // A caller refused before the form was read gets a small allowance only: its body is never worth megabytes.
      const refusedUnread = isAppError(err) && (err.code === 'unauthenticated' || err.code === 'forbidden');
      const drained = await drainRequest(req, refusedUnread ? UNAUTHENTICATED_DRAIN_BYTES : opts.maxFileBytes + 16 * 1024 * 1024);
      if (!drained) res.set('Connection', 'close');
      sendUploadError(req, res, err, opts.logger);
    } catch (failure) {
      next(failure);
    }
  };
}

function sendUploadError(req: Request, res: Response, err: unknown, logger: Logger): void {
  const appError = isAppError(err) ? err : new AppError('internal', 'Internal server error');
  if (!isAppError(err)) logger.error({ err, reqId: req.id }, 'upload failed');
  const status = HTTP_STATUS[appError.code];
  // The client gets the public message; the full one (storage keys, paths) only reaches the log.
  if (isAppError(err) && (status >= 500 || err.publicMessage !== err.message)) logger.warn({ err, reqId: req.id }, 'upload refused');
  const message = appError.publicMessage;
  res.status(status).set(appError.headers);
  res.statusMessage = message.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
  if (req.accepts(['text/plain', 'application/json']) === 'application/json' && req.get('accept')?.includes('json')) {
    res.type('application/json').send(JSON.stringify({ message, code: `${status} ${message}`, title: res.statusMessage }));
  } else {
    res.type('text/plain').send(`${status} ${message}\n`);
  }
}

const UNAUTHENTICATED_DRAIN_BYTES = 1024 * 1024;

/**
 * Consumes the rest of the request body; false when it was larger than `maxBytes` or broke off. A client that stops
 * sending is cut off by the HTTP kit's idle timeout (the socket closes), so this never waits for ever.
 */
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
