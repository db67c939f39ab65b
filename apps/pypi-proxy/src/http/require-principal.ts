import type { Request } from 'express';
import { AppError } from '@registry/shared-errors';
import type { IdentityService, Principal } from '@registry/auth-identity';

export const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Basic realm="pypi"' };

/**
 * HTTP Basic (`user:password` or `__token__:<token>`, protocols §2.2): no credentials → 401 with a
 * challenge (pip and twine only send credentials after one); wrong credentials → 403.
 */
export async function requirePrincipal(identity: IdentityService, req: Request): Promise<Principal> {
  const result = await identity.authenticate(req.get('authorization'), req.ip);
  if (result.kind === 'authenticated') return result.principal;
  if (result.kind === 'anonymous') throw new AppError('unauthenticated', 'Authentication required.', { headers: WWW_AUTHENTICATE });
  throw new AppError('forbidden', 'Invalid or non-existent authentication information.');
}
