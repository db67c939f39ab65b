import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { auditedRoute, declareUser, type AuditFacts } from '@registry/audit-http';
import { authenticateClaimed, type IdentityService, type Principal } from '@registry/auth-identity';

/**
 * Who may call a route: `public` (anyone), `read` (anyone while anonymous reads are on, PYPI_ANONYMOUS_READ; else
 * a token or password: pages, files, provenance) or `user` (an upload token or password). The same rule as npm's.
 */
export type Access = 'public' | 'read' | 'user';

export type Route = (
  access: Access,
  facts: (req: Request) => Partial<AuditFacts>,
  run: (req: Request, res: Response) => Promise<unknown> | unknown,
) => RequestHandler;

const PRINCIPAL = Symbol('principal');
type AuthenticatedResponse = Response & { [PRINCIPAL]?: Principal };
const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="pypi"' };

/**
 * Every PyPI route is built with this: it declares the route's audit event, then checks the caller, then runs.
 * HTTP Basic (`user:password` or `__token__:<token>`, protocols §2.2): no credentials is a 401 with a challenge
 * (pip and twine only send credentials after one); wrong credentials are a 403.
 */
export function createRoute(identity: IdentityService, opts: { anonymousRead: boolean }): Route {
  return (access, facts, run) => auditedRoute(facts, async (req, res) => {
    // A read with credentials is checked too, so a stale token is reported instead of silently reading anonymously.
    const mustAuthenticate = access === 'user' || (access === 'read' && (!opts.anonymousRead || req.headers.authorization !== undefined));
    if (mustAuthenticate) await authenticate(identity, req, res);
    await run(req, res);
  });
}

async function authenticate(identity: IdentityService, req: Request, res: Response): Promise<void> {
  const result = await authenticateClaimed(identity, req.headers.authorization, req.ip, (user) => declareUser(res, user));
  if (result.kind === 'anonymous') throw new AppError('unauthenticated', 'Authentication required.', { headers: CHALLENGE });
  if (result.kind === 'invalid') throw new AppError('forbidden', 'Invalid or non-existent authentication information.');
  (res as AuthenticatedResponse)[PRINCIPAL] = result.principal;
}

/** The caller of a `user` route (authenticate guarantees one). */
export function principalOf(res: Response): Principal {
  const principal = (res as AuthenticatedResponse)[PRINCIPAL];
  if (!principal) throw new AppError('unauthenticated', 'Authentication required.', { headers: CHALLENGE });
  return principal;
}

/** The caller when credentials were sent and accepted (a `read` route checks them when sent); undefined otherwise. */
export const principalIfAny = (res: Response): Principal | undefined => (res as AuthenticatedResponse)[PRINCIPAL];
