import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { auditedRoute, declareUser, type AuditFacts } from '@registry/audit-http';
import { authenticateClaimed, type IdentityService, type Principal } from '@registry/auth-identity';

/** Who may call a route: `public` (anyone: the index is read anonymously) or `user` (an upload token or password). */
export type Access = 'public' | 'user';

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
export function createRoute(identity: IdentityService): Route {
  return (access, facts, run) => auditedRoute(facts, async (req, res) => {
    if (access === 'user') await authenticate(identity, req, res);
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
