import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '@registry/shared-errors';
import type { AuditClient } from '@registry/audit-client';
import type { AuditEventInput } from '@registry/audit-event';
import type { AuthResult, IdentityService, Principal } from '@registry/auth-identity';
import type { Actor } from '@registry/npm-service';

/** What a route knows for its audit event; status, size and the request's identity are added on finish. */
export type AuditFacts = Omit<AuditEventInput, 'status_code' | 'user_agent' | 'remote_addr' | 'request_id'>;

interface NpmLocals {
  audit?: AuditFacts;
  principal?: Principal;
  /** Body bytes when Content-Length is not set (streams). */
  bytes?: number;
}

export const npmLocals = (res: Response): NpmLocals => res.locals as NpmLocals;

/** Declares the audit event of this request; recorded once the response is finished (failures included). */
export function audit(res: Response, facts: Partial<AuditFacts>): void {
  const locals = npmLocals(res);
  const merged = { ...locals.audit, ...facts, extra: { ...(locals.audit?.extra ?? {}), ...(facts.extra ?? {}) } };
  if (merged.event_type) locals.audit = merged as AuditFacts;
}

/** Records the declared event with the final status (style: every operation, failures too). */
export function auditRecorder(client: AuditClient): RequestHandler {
  return (req, res, next) => {
    let done = false;
    const record = () => {
      const facts = npmLocals(res).audit;
      if (done || !facts) return;
      done = true;
      const length = Number(res.getHeader('content-length'));
      const status = res.writableFinished ? res.statusCode : 499;
      const user = npmLocals(res).principal?.user.name;
      client.record({
        ...facts,
        status_code: status,
        size: facts.size ?? (Number.isFinite(length) ? length : npmLocals(res).bytes ?? null),
        user_agent: req.get('user-agent') ?? null,
        remote_addr: req.ip ?? null,
        request_id: String(req.id),
        extra: { ...(facts.extra ?? {}), ...(user ? { user } : {}) },
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

const ANONYMOUS: AuthResult = { kind: 'anonymous' };

/**
 * Resolves the Authorization header once per request. Wrong credentials are a 401 with a message, so a
 * stale token in .npmrc is reported instead of silently reading anonymously.
 */
export function authenticator(identity: IdentityService, opts: { anonymousRead: boolean }): RequestHandler {
  return async (req, res, next) => {
    try {
      // The couch login PUT carries the credentials being checked (yarn v1 also as Basic auth): the route decides.
      if (req.method === 'PUT' && req.path.startsWith('/-/user/')) return next();
      const header = req.get('authorization');
      // No header is anonymous: skip the call and the proxy-aware `req.ip` lookup on the hot anonymous reads.
      const result = header === undefined ? ANONYMOUS : await identity.authenticate(header, req.ip);
      if (result.kind === 'invalid') throw new AppError('unauthenticated', `invalid credentials: ${result.reason}`);
      if (result.kind === 'authenticated') {
        if (result.principal.readonly && req.method !== 'GET' && req.method !== 'HEAD') {
          throw new AppError('forbidden', 'this token is read-only');
        }
        npmLocals(res).principal = result.principal;
      } else if (!opts.anonymousRead && !isPublicPath(req.path)) {
        throw new AppError('unauthenticated', 'authentication required', { headers: { 'www-authenticate': 'Bearer realm="npm"' } });
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Endpoints needed to log in at all stay open when anonymous reads are off. */
const isPublicPath = (path: string): boolean => path === '/-/ping' || path.startsWith('/-/user/') || path === '/-/v1/login';

export function requirePrincipal(res: Response): Principal {
  const principal = npmLocals(res).principal;
  if (!principal) throw new AppError('unauthenticated', 'this operation needs a token: run npm login', { headers: { 'www-authenticate': 'Bearer realm="npm"' } });
  return principal;
}

export const actorOf = (p: Principal): Actor & { email: string | null } => ({ name: p.user.name, isAdmin: p.user.roles.includes('admin'), email: p.user.email });

/** Express 5 forwards rejected promises, but keeping the type explicit documents the contract. */
export const handler = (fn: (req: Request, res: Response) => Promise<void> | void): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve(fn(req, res)).catch(next);
  };
