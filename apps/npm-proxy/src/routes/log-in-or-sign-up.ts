import type { Response } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import { declareAudit } from '@registry/audit-http';
import type { IdentityService, User } from '@registry/auth-identity';

/**
 * The couch login PUT (protocols §4.6): an existing user proves the password (a login attempt, rate-limited);
 * an unknown name is a sign-up when it is allowed. A sign-up is not a failed login: it never logs `failed login`
 * and never counts against the limiter.
 */
export async function logInOrSignUp(
  identity: IdentityService,
  input: { name: string; password: string; email: unknown; remoteAddr: string | undefined; allowSignup: boolean },
  res: Response,
): Promise<User> {
  const { name, password, remoteAddr } = input;
  if (input.allowSignup && (await identity.getUser(name)) === undefined) {
    declareAudit(res, { extra: { operation: 'adduser' } });
    try {
      return await identity.createUser({ name, password, email: typeof input.email === 'string' ? input.email : null });
    } catch (err) {
      // Another request created the name meanwhile: this one is a login for it after all.
      if (!isAppError(err) || err.code !== 'conflict') throw err;
      declareAudit(res, { extra: { operation: 'login' } });
    }
  }
  const user = await identity.verifyPassword(name, password, remoteAddr);
  if (user) return user;
  if (!input.allowSignup && (await identity.getUser(name)) === undefined) {
    throw new AppError('forbidden', 'user registration is disabled on this registry');
  }
  throw new AppError('unauthenticated', `incorrect username or password for ${name}`);
}
