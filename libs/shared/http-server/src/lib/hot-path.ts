import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response, Router } from 'express';

/** Options of a hot route. */
export interface HotRouteOptions {
  /** Paths the pattern matches that an earlier router of the app answers (npm's `/-/` routes): left to Express. */
  unless?: (pathname: string) => boolean;
}

/**
 * The hot path of an app (libs/shared/http-server README "Hot path"): the hottest anonymous reads (npm packuments and tarballs, PyPI pages
 * and files) are answered in front of Express's router by the very handler Express would have run, after the very
 * middleware it would have run (request id, access log, metrics, then the app's own: npm's path normalization, the
 * audit trail), with the same error handler. What it skips is the router's walk through every layer of the app,
 * so the answer (status, headers, body, audit event) is the Express path's by construction; the component tests of
 * both apps run through it, and `expressPath` (the app without it) is there to prove the two alike.
 * Only GET and HEAD without an Authorization header take it: a request with credentials, or one no hot route
 * matches, goes to Express untouched.
 */
export interface HotPath {
  /** A URL rewrite that runs before routing (npm's path normalization): on both paths, before any matching. */
  rewriteUrl(rewrite: (url: string) => string): void;
  /** Middleware that runs before routing after the kit's own (the audit trail): mounted on the app too. */
  use(handler: RequestHandler): void;
  /** `router.get(path, handler)`, and the same handler answers a hot request matching `path`. */
  get(router: Router, path: string, handler: RequestHandler, opts?: HotRouteOptions): void;
}

interface HotRoute {
  pattern: string;
  match: (pathname: string) => Record<string, string> | undefined;
  handler: RequestHandler;
  unless: ((pathname: string) => boolean) | undefined;
}

/** Express's own entry point (untyped in @types/express): app(req, res) calls it. */
type Handle = (req: IncomingMessage, res: ServerResponse, callback?: NextFunction) => void;
const handleOf = (app: Express): Handle => (app as unknown as { handle: Handle }).handle;

interface HotState extends HotPath {
  routes: HotRoute[];
  before: RequestHandler[];
  rewrite: (url: string) => string;
  expressHandle: Handle;
}

const states = new WeakMap<Express, HotState>();
const identity = (url: string): string => url;
/** The kit's own routes (createHttpApp), which Express answers before any app route (case-insensitively, with a slash). */
const KIT_PATHS = new Set(['/-/health', '/-/ready', '/metrics']);

/** Called by createHttpApp with the kit's own middleware (already mounted on the app). */
export function startHotPath(app: Express, kitMiddleware: RequestHandler[]): void {
  const state: HotState = {
    routes: [], before: [...kitMiddleware], rewrite: identity, expressHandle: handleOf(app),
    rewriteUrl(rewrite) {
      state.rewrite = rewrite;
      app.use((req, _res, next) => {
        req.url = rewrite(req.url);
        next();
      });
    },
    use(handler) {
      state.before.push(handler);
      app.use(handler);
    },
    get(router, path, handler, opts = {}) {
      router.get(path, handler);
      state.routes.push({ pattern: path, match: segmentMatcher(path), handler, unless: opts.unless });
    },
  };
  states.set(app, state);
}

/** The app's hot path, to declare its hot routes on (an app made by createHttpApp has one). */
export function hotPathOf(app: Express): HotPath {
  const state = states.get(app);
  if (state === undefined) throw new Error('hotPathOf: not an app made by createHttpApp');
  return state;
}

/** The app without its hot path: every request through Express's router (the tests' reference). */
export function expressPath(app: Express): (req: IncomingMessage, res: ServerResponse) => void {
  const state = states.get(app);
  const handle = state?.expressHandle ?? handleOf(app);
  return (req, res) => handle.call(app, req, res);
}

/** Called by finishHttpApp: from now on the app answers hot requests in front of its router. */
export function installHotPath(app: Express, onError: ErrorRequestHandler, notFound: RequestHandler): void {
  const state = states.get(app);
  if (state === undefined || state.routes.length === 0) return;
  const express = state.expressHandle;
  const hotHandle: Handle = function hotHandle(this: Express, req, res, callback) {
    const hit = callback === undefined ? hotRouteOf(state, req) : undefined;
    if (hit === undefined) return express.call(this, req, res, callback);
    answer(this, state, req as Request, res as Response, hit, onError, notFound);
  };
  (app as unknown as { handle: Handle }).handle = hotHandle;
}

function hotRouteOf(state: HotState, req: IncomingMessage): { route: HotRoute; params: Record<string, string>; url: string } | undefined {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.authorization !== undefined || req.url === undefined) return undefined;
  const url = state.rewrite(req.url);
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  if (KIT_PATHS.has(pathname.toLowerCase().replace(/\/$/, ''))) return undefined;
  for (const route of state.routes) {
    const params = route.match(pathname);
    if (params !== undefined) return route.unless?.(pathname) ? undefined : { route, params, url };
  }
  return undefined;
}

/** What Express's app.handle and router do before the first middleware, then the chain, then the route. */
function answer(
  app: Express, state: HotState, req: Request, res: Response, hit: { route: HotRoute; params: Record<string, string>; url: string },
  onError: ErrorRequestHandler, notFound: RequestHandler,
): void {
  req.res = res;
  res.req = req;
  Object.setPrototypeOf(req, app.request);
  Object.setPrototypeOf(res, app.response);
  res.locals ??= Object.create(null) as Response['locals'];
  req.originalUrl = req.url;
  req.url = hit.url;
  req.baseUrl = '';
  const fail = (err: unknown): void => {
    void onError(err, req, res, () => undefined);
  };
  let i = 0;
  const next: NextFunction = (err?: unknown) => {
    if (err !== undefined && err !== null && err !== 'route' && err !== 'router') return fail(err);
    const middleware = state.before[i++];
    try {
      if (middleware !== undefined) return void middleware(req, res, next);
      if (i > state.before.length + 1) return void notFound(req, res, fail); // the route handler called next(): nothing else answers
      req.params = hit.params;
      (req as Request & { route: { path: string } }).route = { path: hit.route.pattern };
      hit.route.handler(req, res, next);
    } catch (thrown) {
      fail(thrown);
    }
  };
  next();
}

/**
 * A matcher for patterns of literal and `:param` segments: each param is one non-empty segment, percent-decoded
 * as Express does; one trailing slash is allowed (non-strict routing). Literals match exactly, so it matches a
 * subset of what Express's matcher does: anything it misses (other case, a bad escape) goes to Express.
 */
export function segmentMatcher(pattern: string): (pathname: string) => Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.some((p) => p === '' || (!p.startsWith(':') && /[:*?(){}]/.test(p)) || (p.startsWith(':') && !/^:\w+$/.test(p)))) {
    throw new Error(`hot route ${pattern}: only literal and :param segments`);
  }
  return (pathname) => {
    const segments = pathname.split('/');
    if (segments[0] !== '') return undefined;
    if (segments.length === parts.length + 2 && segments[segments.length - 1] === '') segments.pop();
    if (segments.length !== parts.length + 1) return undefined;
    const params: Record<string, string> = {};
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k] as string;
      const segment = segments[k + 1] as string;
      if (part.startsWith(':')) {
        if (segment === '') return undefined;
        const value = decodeSegment(segment);
        if (value === undefined) return undefined;
        params[part.slice(1)] = value;
      } else if (part !== segment) {
        return undefined;
      }
    }
    return params;
  };
}

function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // Express answers a bad escape with its 400
  }
}
