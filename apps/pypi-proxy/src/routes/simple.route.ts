import { Router, type Request, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { declareAudit, declareServedFrom } from '@registry/audit-http';
import { markStale, representationOf, sendRepresentation, type HotPath } from '@registry/shared-http-server';
import { isValidProjectName, mediaTypeOf, negotiateSimpleFormat, normalizeProjectName, type SimpleFormat } from '@registry/pypi-protocol';
import type { PypiService } from '@registry/pypi-service';
import type { Route } from '../http/route';

/**
 * The simple API (PEP 503 / 691): `/simple/` and `/simple/<project>/`, HTML or JSON by Accept, always with
 * `Vary: Accept`. Non-normalized names and missing slashes are 301-redirected (GET only, protocols §1.1).
 */
export function simpleRouter(opts: { pypi: PypiService; route: Route; hot: HotPath; maxAgeSeconds: number; privateReads: boolean }): Router {
  const { pypi, route } = opts;
  const router = Router();
  // Private pages change on upload, so clients revalidate soon (protocols §6.2).
  // With anonymous reads off, a shared cache must not hand one caller's page to another.
  const cacheControl = `${opts.privateReads ? 'private, ' : ''}max-age=${opts.maxAgeSeconds}`;

  // Express matches `/simple` and `/simple/` alike (non-strict routing); only the slash form is a page.
  router.get('/simple/', route('read', () => ({ event_type: 'pypi.index.list' }), async (req, res) => {
    if (!req.path.endsWith('/')) return redirect(res, req, '/simple/');
    const format = negotiate(req, res);
    // The same Buffer until the names change: its ETag and gzip copy are computed once, not per request.
    const rep = representationOf(await pypi.projectList(format), { contentType: mediaTypeOf(format), label: format });
    return sendRepresentation(req, res, rep, { cacheControl });
  }));

  opts.hot.get(router, '/simple/:project', route('read', (req) => ({ event_type: 'pypi.package.metadata', package: projectOf(req) }), async (req, res) => {
    const raw = String(req.params['project']);
    if (!isValidProjectName(raw)) throw new AppError('not_found', `not a valid project name: ${raw}`);
    const normalized = normalizeProjectName(raw);
    if (raw !== normalized || !req.path.endsWith('/')) return redirect(res, req, `/simple/${encodeURIComponent(normalized)}/`);
    const format = negotiate(req, res);
    const page = await pypi.projectPage(normalized, format);
    declareServedFrom(res, page);
    if (page.policy) declareAudit(res, { extra: page.policy });
    // Stale-if-error: say so, in headers clients and operators can see (protocols §6.3).
    if (page.stale) markStale(res);
    const rep = representationOf(page.body, { contentType: mediaTypeOf(format), label: format });
    return sendRepresentation(req, res, rep, { cacheControl });
  }));

  return router;
}

const projectOf = (req: Request): string => {
  const raw = String(req.params['project']);
  return isValidProjectName(raw) ? normalizeProjectName(raw) : raw;
};

function negotiate(req: Request, res: Response): SimpleFormat {
  res.setHeader('Vary', 'Accept');
  const format = negotiateSimpleFormat(req.get('accept'));
  if (format === undefined) {
    throw new AppError('not_acceptable', 'No acceptable representation: use application/vnd.pypi.simple.v1+json or text/html.');
  }
  return format;
}

/** Keeps the mount prefix (`req.baseUrl`) so the proxy works under a path. A redirect is no operation: no event. */
function redirect(res: Response, req: Request, path: string): void {
  declareAudit(res, { event_type: undefined });
  res.vary('Accept').redirect(301, `${req.baseUrl}${path}`);
}
