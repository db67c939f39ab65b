import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import { HTTP_STATUS } from '@registry/shared-http-server';
import { isValidPackageName } from '@registry/npm-protocol';
import type { NpmService } from '@registry/npm-service';
import { CONSOLE_CSS, renderErrorPage, renderPackagePage, renderSearchPage, WEB_BASE } from '@registry/web-console';
import type { Route } from '../http/route';
import { baseUrlOf, queryString, type PublicUrlOptions } from '../http/http-helpers';
import { packageViewOf } from '../web/package-view';

const PAGE_SIZE = 20;
const MAX_FROM = 10_000;

/** No script is ever served, so the policy forbids all of it (a sanitizer miss would still run nothing). */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * The web console's npm pages (README "Web console"): HTML over the same use-cases the clients' routes call,
 * with the same access rule (`read`) and audit events.
 */
export function webRoutes(opts: PublicUrlOptions & { npm: NpmService; route: Route }): Router {
  const { npm, route } = opts;
  const router = Router();
  const page = (res: Response, status: number, body: string): void => {
    res.status(status).set(SECURITY_HEADERS).set('cache-control', 'private, no-cache').type('html').send(body);
  };

  router.get(`${WEB_BASE}/console.css`, route('public', () => ({ event_type: 'npm.package.metadata', extra: { operation: 'web' } }), (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').type('css').send(CONSOLE_CSS);
  }));

  router.get(`${WEB_BASE}/`, route('read', (req) => ({ event_type: 'npm.search', extra: { operation: 'web', text: (queryString(req.query['q']) ?? '').slice(0, 200) } }), async (req, res) => {
    const query = (queryString(req.query['q']) ?? '').slice(0, 200);
    const from = Math.min(MAX_FROM, Math.max(0, Number.parseInt(queryString(req.query['from']) ?? '0', 10) || 0));
    const answer = await npm.search({ text: query, size: PAGE_SIZE, from });
    page(res, 200, renderSearchPage({
      registry: 'npm', query, from, pageSize: PAGE_SIZE, total: answer.response.total,
      hits: answer.response.objects.map((o) => ({ name: o.package.name, version: o.package.version, description: o.package.description })),
      ...(answer.upstreamFailed ? { notice: 'The upstream search failed: only packages published here are listed.' } : {}),
    }));
  }));

  const packagePage = route('read', (req) => ({ event_type: 'npm.package.metadata', package: packageNameOf(req), extra: { operation: 'web' } }), async (req, res) => {
    const name = packageNameOf(req);
    if (!isValidPackageName(name)) throw new AppError('invalid_request', `not a package name: ${JSON.stringify(name.slice(0, 100))}`);
    const resolved = await npm.packument(name);
    const served = npm.served(resolved.state);
    const view = packageViewOf(resolved, served, { baseUrl: baseUrlOf(req, res, opts), allVersions: req.query['versions'] === 'all' });
    page(res, 200, renderPackagePage(view));
  });
  router.get(`${WEB_BASE}/package/:name`, packagePage);
  router.get(`${WEB_BASE}/package/:scope/:name`, packagePage);

  router.get(`${WEB_BASE}/*rest`, route('public', () => ({ event_type: 'npm.package.metadata', extra: { operation: 'web' } }), (req) => {
    throw new AppError('not_found', `no console page at ${req.path.slice(0, 200)}`);
  }));

  // A refused or failed request reads as a page too; anything unexpected goes on to the one JSON error handler.
  const asPage: ErrorRequestHandler = (err, _req, res, next) => {
    if (!isAppError(err) || res.headersSent) return next(err);
    res.set(err.headers);
    page(res, HTTP_STATUS[err.code], renderErrorPage(HTTP_STATUS[err.code], err.publicMessage));
  };
  router.use(WEB_BASE, asPage);
  return router;
}

function packageNameOf(req: Request): string {
  const scope = req.params['scope'];
  const name = req.params['name'] as string;
  return typeof scope === 'string' ? `${scope}/${name}` : name;
}
