import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { auditedRoute, declareUser, type AuditFacts } from '@registry/audit-http';
import { authenticateClaimed, type AuthResult, type IdentityService, type Principal } from '@registry/auth-identity';
import type { Actor } from '@registry/npm-service';

/**
 * Who may call a route: `public` (anyone, e.g. ping and login), `read` (anyone while anonymous reads are on),
 * `user` (a token or Basic credentials), `login` (the couch login PUT: its body carries the credentials being
 * checked, so the header is not resolved).
 */
export type Access = 'public' | 'read' | 'user' | 'login';

export type Route = (
  access: Access,
  facts: (req: Request) => Partial<AuditFacts>,
  run: (req: Request, res: Response) => Promise<unknown> | unknown,
  /** A body parser, run only once the caller is accepted (an anonymous 200 MB publish is never parsed). */
  body?: RequestHandler,
) => RequestHandler;

const PRINCIPAL = Symbol('principal');
type AuthenticatedResponse = Response & { [PRINCIPAL]?: Principal };
const ANONYMOUS: AuthResult = { kind: 'anonymous' };
const CHALLENGE = { 'www-authenticate': 'Bearer realm="npm"' };

/**
 * Every npm route is built with this: it declares the route's audit event, checks the caller, parses the body,
 * then runs.
 * Wrong credentials are a 401 with a message, so a stale token in .npmrc is reported instead of silently
 * reading anonymously; a read-only token may only GET and HEAD.
 */
export function createRoute(identity: IdentityService, opts: { anonymousRead: boolean; anonymousMaxBodyBytes: number }): Route {
  return (access, facts, run, body) => auditedRoute(facts, async (req, res) => {
    if (access !== 'login') await authenticate(identity, req, res, access, opts.anonymousRead);
    if (body !== undefined && access !== 'login' && !(res as AuthenticatedResponse)[PRINCIPAL]) refuseLargeAnonymousBody(req, opts.anonymousMaxBodyBytes);
    if (body !== undefined) await new Promise<void>((resolve, reject) => body(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    await run(req, res);
  });
}

async function authenticate(identity: IdentityService, req: Request, res: Response, access: Access, anonymousRead: boolean): Promise<void> {
  const header = req.headers.authorization;
  // No header is anonymous: skip the call and the proxy-aware `req.ip` lookup on the hot anonymous reads.
  const result = header === undefined ? ANONYMOUS : await authenticateClaimed(identity, header, req.ip, (user) => declareUser(res, user));
  if (result.kind === 'invalid') throw new AppError('unauthenticated', `invalid credentials: ${result.reason}`);
  if (result.kind === 'authenticated') {
    if (result.principal.readonly && req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('forbidden', 'this token is read-only');
    actAs(res, result.principal);
    return;
  }
  if (access === 'user') throw new AppError('unauthenticated', 'this operation needs a token: run npm login', { headers: CHALLENGE });
  if (access === 'read' && !anonymousRead) throw new AppError('unauthenticated', 'authentication required', { headers: CHALLENGE });
}

/**
 * An anonymous caller's body (an `npm audit` without a token) is refused by its declared length before a byte is
 * read; one without a length (chunked) is refused too, so nobody unauthenticated makes us parse megabytes.
 */
function refuseLargeAnonymousBody(req: Request, maxBytes: number): void {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] !== undefined) {
    throw new AppError('invalid_request', 'an anonymous request body needs a Content-Length');
  }
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new AppError('payload_too_large', `an anonymous request body may be at most ${maxBytes} bytes: log in for larger ones`);
  }
}

/** Records who the request acts for (its audit event's `extra.user`). */
export function actAs(res: Response, principal: Principal): void {
  (res as AuthenticatedResponse)[PRINCIPAL] = principal;
  declareUser(res, principal.user.name);
}

/** The caller when credentials were sent and accepted; undefined for an anonymous request. */
export const principalIfAny = (res: Response): Principal | undefined => (res as AuthenticatedResponse)[PRINCIPAL];

/** The caller of a `user` route (authenticate guarantees one). */
export function principalOf(res: Response): Principal {
  const principal = (res as AuthenticatedResponse)[PRINCIPAL];
  if (!principal) throw new AppError('unauthenticated', 'this operation needs a token: run npm login', { headers: CHALLENGE });
  return principal;
}

export const actorOf = (p: Principal): Actor & { email: string | null } => ({ name: p.user.name, isAdmin: p.user.roles.includes('admin'), email: p.user.email });

/** Every user, meta and dist-tag route lives under `/-/`. */
export const isDashPath = (req: Request): boolean => isDashPathname(req.path);
export const isDashPathname = (pathname: string): boolean => pathname.startsWith('/-/');

/** The web console's pages (`/-/web/`, README "Web console"). */
export const isWebPath = (req: Request): boolean => req.path === '/-/web' || req.path.startsWith('/-/web/');

/** Write routes never answer a GET or HEAD. */
export const isWrite = (req: Request): boolean => req.method !== 'GET' && req.method !== 'HEAD';

/** Runs `router` only for requests it can answer; the others go straight on (the hot reads skip ~20 routes). */
export const onlyWhen = (applies: (req: Request) => boolean, router: RequestHandler): RequestHandler =>
  (req, res, next) => (applies(req) ? router(req, res, next) : next());
