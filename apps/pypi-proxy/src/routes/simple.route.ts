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
    // Pages are compressed once and kept (a 2,000-file page is never re-serialized or re-compressed per request).
    const useGzip = result.page.body.length >= GZIP_MIN_BYTES && acceptsGzip(req);
    const representation = useGzip ? result.page.gzipped() : result.page;
    // The hottest route: headers are set directly, without Express's per-call parsing (`vary`, `type`, `send`).
    res.setHeader('Vary', 'Accept, Accept-Encoding');
    res.setHeader('ETag', representation.etag);
    res.setHeader('Cache-Control', PAGE_CACHE_CONTROL);
    if (useGzip) res.setHeader('Content-Encoding', 'gzip');
    // Stale-if-error (RFC 5861): say so, in a header clients and operators can see (RFC 7234 Warning 110).
    if (result.stale) res.setHeader('X-Registry-Stale', 'true').setHeader('Warning', '110 - "Response is Stale"');
    if (result.notModified) return res.status(304).end();
    res.statusCode = 200;
    res.setHeader('Content-Type', result.page.contentType);
    res.setHeader('Content-Length', representation.body.length);
    return res.end(representation.body); // Node sends no body for HEAD
  });

  return router;
}

function negotiate(req: Request, res: Response): SimpleFormat {
  res.setHeader('Vary', 'Accept');
  const format = negotiateSimpleFormat(req.get('accept'));
  if (format === undefined) {
    throw new AppError('not_acceptable', 'No acceptable representation: use application/vnd.pypi.simple.v1+json or text/html.');
  }
  return format;
}

/** Accept-Encoding answers repeat (one per client kind), so the negotiation is remembered per header value. */
const gzipByHeader = new Map<string, boolean>();
function acceptsGzip(req: Request): boolean {
  const header = req.headers['accept-encoding'];
  if (header === undefined || header === '') return false;
  let yes = gzipByHeader.get(header);
  if (yes === undefined) {
    yes = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (gzipByHeader.size >= 256) gzipByHeader.clear();
    if (header.length <= 256) gzipByHeader.set(header, yes);
  }
  return yes;
}

/** Keeps the mount prefix (`req.baseUrl`) so the proxy works under a path. */
function redirect(res: Response, req: Request, path: string): void {
  res.vary('Accept').redirect(301, `${req.baseUrl}${path}`);
}
