import { AppError } from '@registry/shared-errors';
import type { BlobStore } from '@registry/storage-blob-store';
import type { Logger } from '@registry/shared-logger';
import type { AuthResult, IdentityService, User } from './identity';
import {
  assertAcceptablePassword, assertValidEmail, assertValidUserName, claimedUserName, isValidUserName,
} from './credential-rules';
import { createDecoyPasswordHash, hashPassword, verifyPasswordHash, type PasswordHash } from './password-hash';
import { createLoginRateLimiter, type RateLimitOptions } from './login-rate-limiter';
import { createHashingQueue, type HashingQueueOptions } from './hashing-queue';
import { parseAuthorization } from './parse-authorization';
import { createVerifiedPasswordCache } from './verified-password-cache';
import { createTokenRegistry } from './token-registry';
import {
  createDocument, readDocument, updateExistingDocument, userDocumentKey, USERS_PREFIX, type UserDocument,
} from './identity-documents';

export interface IdentityServiceOptions {
  store: BlobStore;
  logger: Logger;
  /** When false, createUser answers AppError('forbidden'); ensureAdmin still works. */
  allowSignup: boolean;
  rateLimit?: RateLimitOptions;
  /** Bound on concurrent and waiting scrypt jobs (see hashing-queue). */
  hashing?: HashingQueueOptions;
  /** How long a successful password check is remembered (see verified-password-cache); default 5 min, 0 disables. */
  passwordCacheTtlMs?: number;
  /**
   * How long a verified token is remembered (see verified-token-cache): a revocation on another instance takes
   * effect within this time. Default 10 s; 0 disables.
   */
  tokenCacheTtlMs?: number;
  clock?: () => Date;
}

/** IdentityService plus the start-up helper main.ts needs. */
export interface ManagedIdentityService extends IdentityService {
  /**
   * Makes sure `name` exists and is an admin (REGISTRY_ADMIN_USER/PASSWORD). Creates it with `password` when
   * missing, even with sign-up closed; an existing admin keeps their password. An existing account that is NOT an
   * admin is never promoted (whoever registered the name first would get the role): AppError('conflict'), and the
   * process refuses to start.
   */
  ensureAdmin(name: string, password: string): Promise<User>;
}

/** Identities kept as small JSON documents in the shared BlobStore, updated with compare-and-swap. */
export function createIdentityService(opts: IdentityServiceOptions): ManagedIdentityService {
  const { store, logger } = opts;
  const clock = opts.clock ?? (() => new Date());
  const limiter = createLoginRateLimiter(opts.rateLimit ?? {}, () => clock().getTime());
  const hashing = createHashingQueue(opts.hashing);
  const { checkToken, ...tokens } = createTokenRegistry({ store, logger, clock, cacheTtlMs: opts.tokenCacheTtlMs ?? 10_000 });
  const verifiedPasswords = createVerifiedPasswordCache({
    ttlMs: opts.passwordCacheTtlMs ?? 5 * 60_000, maxEntries: 10_000, now: () => clock().getTime(),
  });
  let decoy: Promise<PasswordHash> | undefined;

  async function insertUser(input: { name: string; password: string; email?: string | null; roles?: User['roles'] }): Promise<User> {
    assertValidUserName(input.name);
    assertAcceptablePassword(input.password);
    const email = input.email ?? null;
    assertValidEmail(email);
    const user: User = { name: input.name, email, roles: input.roles ?? ['publisher'], createdAt: clock().toISOString() };
    const doc: UserDocument = { version: 1, user, password: await hashing.run(() => hashPassword(input.password)) };
    if (!(await createDocument(store, userDocumentKey(user.name), doc))) {
      throw new AppError('conflict', `user ${user.name} already exists`);
    }
    logger.info({ user: user.name, roles: user.roles }, 'user created');
    return user;
  }

  async function getUser(name: string): Promise<User | undefined> {
    if (!isValidUserName(name)) return undefined;
    return (await readDocument<UserDocument>(store, userDocumentKey(name)))?.value.user;
  }

  async function verifyPassword(name: string, password: string, remoteAddr?: string): Promise<User | undefined> {
    // Counted before scrypt runs: parallel guesses are limited as they arrive.
    const attempt = limiter.begin(name, remoteAddr);
    const doc = isValidUserName(name) ? await readDocument<UserDocument>(store, userDocumentKey(name)) : undefined;
    // Unknown users cost one scrypt too, so timing does not reveal which names exist.
    const stored = doc?.value.password ?? (await (decoy ??= createDecoyPasswordHash()));
    const matches = verifiedPasswords.has(name, password, stored.hash)
      || (await hashing.run(() => verifyPasswordHash(password, stored)));
    if (doc === undefined || !matches) {
      logger.warn({ user: claimedUserName(name), remoteAddr }, 'failed login');
      return undefined;
    }
    if (doc.value.user.disabled === true) {
      logger.warn({ user: name, remoteAddr }, 'login to a disabled account');
      return undefined;
    }
    attempt.succeeded();
    verifiedPasswords.remember(name, password, stored.hash);
    return doc.value.user;
  }

  async function listUsers(): Promise<User[]> {
    const keys: string[] = [];
    for await (const key of store.list(USERS_PREFIX)) keys.push(key);
    const docs = await Promise.all(keys.map((key) => readDocument<UserDocument>(store, key)));
    return docs.flatMap((d) => (d === undefined ? [] : [d.value.user])).sort((a, b) => a.name.localeCompare(b.name));
  }

  async function updateUserAsAdmin(admin: User, name: string, change: { disabled?: boolean; admin?: boolean }): Promise<User> {
    if (!admin.roles.includes('admin')) throw new AppError('forbidden', 'only admins change accounts');
    if (name === admin.name) throw new AppError('invalid_request', 'an admin does not change their own account (ask another admin)');
    if (!isValidUserName(name)) throw new AppError('not_found', `user ${claimedUserName(name)} not found`);
    const roles = (current: User['roles']): User['roles'] => {
      if (change.admin === undefined) return current;
      const others = current.filter((r) => r !== 'admin');
      return change.admin ? ['admin', ...others] : others.length > 0 ? others : ['publisher'];
    };
    const doc = await updateExistingDocument<UserDocument>(store, userDocumentKey(name), (current) => ({
      ...current, user: { ...current.user, roles: roles(current.user.roles), ...(change.disabled === undefined ? {} : { disabled: change.disabled }) },
    }), `user ${name} not found`);
    logger.info({ user: name, by: admin.name, ...change }, 'account changed by an admin');
    return doc.user;
  }

  async function authenticate(authorization: string | undefined, remoteAddr?: string): Promise<AuthResult> {
    const credentials = parseAuthorization(authorization);
    switch (credentials.kind) {
      case 'none':
        return { kind: 'anonymous' };
      case 'malformed':
        return { kind: 'invalid', reason: credentials.reason };
      case 'token': {
        const checked = await checkToken(credentials.secret, remoteAddr);
        if (checked.kind === 'valid') return { kind: 'authenticated', principal: checked.principal };
        return checked.kind === 'refused'
          ? { kind: 'invalid', reason: 'this token may not be used from this address', claimedUser: checked.owner }
          : { kind: 'invalid', reason: 'unknown or revoked token' };
      }
      case 'password': {
        const user = await verifyPassword(credentials.user, credentials.password, remoteAddr);
        return user === undefined
          ? { kind: 'invalid', reason: 'wrong user name or password', claimedUser: claimedUserName(credentials.user) }
          : { kind: 'authenticated', principal: { user, via: 'password', readonly: false } };
      }
    }
  }

  async function ensureAdmin(name: string, password: string): Promise<User> {
    try {
      return await insertUser({ name, password, roles: ['admin', 'publisher'] });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'conflict') throw err;
    }
    const existing = await getUser(name);
    if (existing === undefined) throw new AppError('conflict', `user ${name} vanished while the admin was bootstrapped; start again`);
    if (!existing.roles.includes('admin')) {
      throw new AppError('conflict', `REGISTRY_ADMIN_USER=${name} names an existing account that is not an admin; `
        + 'it is never promoted (anyone may have registered that name). Choose another admin name, or delete that '
        + `account from the identity store (${userDocumentKey(name)}) if it is yours, then start again`);
    }
    logger.info({ user: name }, 'admin user present');
    return existing;
  }

  return {
    createUser: async (input) => {
      if (!opts.allowSignup) throw new AppError('forbidden', 'sign-up is disabled on this registry');
      return insertUser(input);
    },
    addUserAsAdmin: async (admin, input) => {
      if (!admin.roles.includes('admin')) throw new AppError('forbidden', 'only admins create accounts');
      const user = await insertUser({ name: input.name, password: input.password, email: input.email ?? null, roles: input.admin ? ['admin', 'publisher'] : ['publisher'] });
      logger.info({ user: user.name, by: admin.name, admin: input.admin === true }, 'account created by an admin');
      return user;
    },
    getUser,
    listUsers,
    updateUserAsAdmin,
    verifyPassword,
    authenticate,
    ensureAdmin,
    ...tokens,
  };
}
