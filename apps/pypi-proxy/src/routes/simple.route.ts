import { Router, type Request, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { isValidProjectName, negotiateSimpleFormat, normalizeProjectName, type SimpleFormat } from '@registry/pypi-protocol';
import type { PypiService } from '@registry/pypi-service';
import { requestContext } from '../http/request-context';

/** Local pages may change on upload, so clients revalidate soon (protocols §6.2). */
const PAGE_CACHE_CONTROL = 'max-age=60';
const GZIP_MIN_BYTES = 1024;

/**
 * The simple API (PEP 503 / 691): `/simple/` and `/simple/<project>/`, HTML or JSON by Accept,
 * always with `Vary: Accept`. Non-normalized names and missing slashes are 301-redirected (GET only).
 */
export function simpleRouter(service: PypiService): Router {
  const router = Router();

  // Express matches `/simple` and `/simple/` alike (non-strict routing); only the slash form is a page.
  router.get('/simple/', async (req, res) => {
    if (!req.path.endsWith('/')) return redirect(res, req, '/simple/');
    const format = negotiate(req, res);
    const page = await service.projectList(format, requestContext(req, res));
    return res.status(200).set({ 'Content-Type': page.contentType, 'Cache-Control': PAGE_CACHE_CONTROL }).send(page.body);
  });

  router.get('/simple/:project', async (req, res) => {
    const raw = String(req.params['project']);
    if (!isValidProjectName(raw)) throw new AppError('not_found', `not a valid project name: ${raw}`);
    const normalized = normalizeProjectName(raw);
    if (raw !== normalized || !req.path.endsWith('/')) return redirect(res, req, `/simple/${encodeURIComponent(normalized)}/`);
    const format = negotiate(req, res);
    const result = await service.projectPage(normalized, format, req.get('if-none-match'), requestContext(req, res));
    res.vary('Accept-Encoding');
    // Pages are compressed once and kept (a 2,000-file page is never re-serialized or re-compressed per request).
    const useGzip = result.page.body.length >= GZIP_MIN_BYTES && req.acceptsEncodings('gzip', 'identity') === 'gzip';
    const representation = useGzip ? result.page.gzipped() : result.page;
    res.set({ ETag: representation.etag, 'Cache-Control': PAGE_CACHE_CONTROL });
    if (useGzip) res.set('Content-Encoding', 'gzip');
    // Stale-if-error (RFC 5861): say so, in a header clients and operators can see (RFC 7234 Warning 110).
    if (result.stale) res.set({ 'X-Registry-Stale': 'true', Warning: '110 - "Response is Stale"' });
    if (result.notModified) return res.status(304).end();
    return res.status(200).type(result.page.contentType).send(representation.body);
  });

  return router;
}

function negotiate(req: Request, res: Response): SimpleFormat {
  res.vary('Accept');
  const format = negotiateSimpleFormat(req.get('accept'));
  if (format === undefined) {
    throw new AppError('not_acceptable', 'No acceptable representation: use application/vnd.pypi.simple.v1+json or text/html.');
  }
  return format;
}

/** Keeps the mount prefix (`req.baseUrl`) so the proxy works under a path. */
function redirect(res: Response, req: Request, path: string): void {
  res.vary('Accept').redirect(301, `${req.baseUrl}${path}`);
}
