import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import { HTTP_STATUS } from '@registry/shared-http-server';
import { CONSOLE_CSS } from '../console-css';
import { WEB_BASE } from '../html';
import { renderErrorPage } from '../layout';
import type { ConsoleChrome } from '../view-model';
import type { PackageUsageView } from '../usage';
import { accountRoutes } from './account-routes';
import { adminRoutes } from './admin-routes';
import { searchRoutes } from './search-routes';
import { usageReader, usageRoutes } from './usage-routes';
import type { ConsoleOptions } from './ports';
import { clearCookie, consoleSession, formTokenOf, isSessionRequest, SESSION_COOKIE } from './session';

/** No script is ever served, so the policy forbids all of it (a sanitizer miss would still run nothing). */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' https: http:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** What a registry's own pages use: the header's facts for this request, and how a page is sent. */
export interface ConsoleKit {
  chromeOf(req: Request, res: Response): ConsoleChrome;
  /** A page; `private` pages (account, admin, a new token) are never stored by any cache. */
  send(res: Response, status: number, body: string, opts?: { private?: boolean }): void;
  /** urlencoded form bodies, 16 KiB at most; parse only after the caller is known. */
  readForm(req: Request, res: Response): Promise<void>;
  /** A package's usage from the lake's snapshot (its name as its registry's audit events carry it). */
  usageOf(name: string): Promise<PackageUsageView>;
}

/**
 * The web console at `/-/web/`, the same on both registries (README "Web console"): the session, the login,
 * the account and admin pages, the search over both registries, the usage page; `registryPages` adds the registry's own
 * package pages; an unknown path and every refusal answer as a page.
 */
export function consoleRouter(opts: ConsoleOptions, registryPages: (router: Router, kit: ConsoleKit) => void): Router {
  const router = Router();
  const peer = opts.peerUrl ? { registry: opts.registry === 'npm' ? 'pypi' as const : 'npm' as const, url: opts.peerUrl.replace(/\/+$/, '') } : undefined;
  const peerSearch = peer && { ...peer, searchUrl: (opts.peerSearchUrl ?? peer.url).replace(/\/+$/, '') };
  const usage = usageReader(opts);
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const kit: ConsoleKit = {
    chromeOf: (req, res) => {
      const principal = opts.callerOf(res);
      return {
        registry: opts.registry, csrfToken: formTokenOf(req), ...(peer ? { peer } : {}),
        ...(principal ? { user: { name: principal.user.name, admin: principal.user.roles.includes('admin') } } : {}),
      };
    },
    send: (res, status, body, o) => {
      res.status(status).set(SECURITY_HEADERS).set('cache-control', o?.private ? 'private, no-store' : 'private, no-cache').type('html').send(body);
    },
    readForm: (req, res) => new Promise<void>((resolve, reject) => form(req, res, (err?: unknown) => (err ? reject(new AppError('invalid_request', 'the form could not be read')) : resolve()))),
    usageOf: (name) => usage.packageUsage(name),
  };

  router.get(`${WEB_BASE}/console.css`, opts.route('public', () => ({}), (_req, res) => {
    res.set('cache-control', 'public, max-age=3600').type('css').send(CONSOLE_CSS);
  }));
  router.use(WEB_BASE, consoleSession);
  searchRoutes(router, opts, kit, peerSearch);
  accountRoutes(router, opts, kit);
  adminRoutes(router, opts, kit);
  usageRoutes(router, opts, kit, usage);
  registryPages(router, kit);
  router.all(`${WEB_BASE}/*rest`, opts.route('public', () => ({}), (req) => {
    throw new AppError('not_found', `no console page at ${req.path.slice(0, 200)}`);
  }));

  // A refused or failed request reads as a page too; anything unexpected goes on to the one JSON error handler.
  const asPage: ErrorRequestHandler = (err, req, res, next) => {
    if (!isAppError(err) || res.headersSent) return next(err);
    const status = HTTP_STATUS[err.code];
    // Not the clients' challenge: a browser would answer a Basic one with its own password dialog.
    res.set(Object.fromEntries(Object.entries(err.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'www-authenticate')));
    // A session the identity service refuses (expired, revoked, its account disabled) is over: the cookie goes, and
    // both consoles say so with a 401 (npm refuses credentials with 401, PyPI with 403 as pip expects; either way
    // no caller was accepted).
    const ended = isSessionRequest(req) && opts.callerOf(res) === undefined && (status === 401 || status === 403);
    if (ended) clearCookie(req, res, SESSION_COOKIE);
    const chrome = kit.chromeOf(req, res);
    kit.send(res, ended ? 401 : status, renderErrorPage(ended ? 401 : status, ended ? 'Your session has ended: log in again.' : err.publicMessage, chrome));
  };
  router.use(WEB_BASE, asPage);
  return router;
}
