import { AppError } from '@registry/shared-errors';
import { Lru } from '@registry/shared-util';
import { updateDocument, type BlobStore } from '@registry/storage-blob-store';
import type { Logger } from '@registry/shared-logger';
import type { CreateTokenOptions, Principal, TokenInfo } from './identity';
import { assertValidDescription, isValidUserName } from './credential-rules';
import { isAddressWhitelisted, normalizeCidrWhitelist } from './cidr-whitelist';
import { createVerifiedTokenCache, type CachedToken } from './verified-token-cache';
import { listedPrefixOf, looksLikeTokenSecret, newTokenSecret, tokenKeyOf } from './token-secret';
import {
  createDocument, readDocument, tokenDocumentKey, tokenListingKey, tokenListingPrefix, userDocumentKey,
  type TokenDocument, type TokenListing, type UserDocument,
} from './identity-documents';

/** Bound on explicit tokens per user (checked before creating; concurrent creations may overshoot it slightly). */
const MAX_TOKENS_PER_USER = 200;
/** Bound on login sessions per user: each `npm login` mints one, so the oldest are revoked beyond it. */
export const MAX_SESSIONS_PER_USER = 50;

export interface TokenRegistryDeps {
  store: BlobStore;
  logger: Logger;
  clock: () => Date;
  /** See verified-token-cache; 0 disables. */
  cacheTtlMs: number;
}

/** A token secret as checked: `refused` is a known token used from outside its CIDR whitelist. */
export type TokenCheck = { kind: 'valid'; principal: Principal } | { kind: 'refused'; owner: string } | { kind: 'unknown' };

const toInfo = (user: string, t: TokenListing): TokenInfo => ({
  key: t.key, token: `${t.prefix}…`, user, readonly: t.readonly, cidrWhitelist: t.cidrWhitelist,
  description: t.description, session: t.session ?? false, created: t.created, updated: t.updated, lastUsed: t.lastUsed ?? null,
  expires: t.expires ?? null,
});

const hasExpired = (expires: string | null | undefined, now: number): boolean => expires != null && Date.parse(expires) <= now;

/** Last use is recorded to the minute: a token used a thousand times a minute costs one write. */
const LAST_USE_RESOLUTION_MS = 60_000;

/**
 * API tokens: a token document found by the secret's hash, and a listing entry under the owner. Crash-safe
 * ordering: creation writes the listing entry before the token document, revocation deletes the token document
 * before the listing entry. So a token document always has its listing entry (a working token is always visible
 * to its owner), and a crash leaves at worst a listed, dead token that can still be revoked.
 */
export function createTokenRegistry({ store, logger, clock, cacheTtlMs }: TokenRegistryDeps) {
  const verified = createVerifiedTokenCache({ ttlMs: cacheTtlMs, maxEntries: 10_000, now: () => clock().getTime() });
  const userNotFound = (user: string) => `user ${user} not found`;

  async function listTokens(user: string): Promise<TokenInfo[]> {
    if (!isValidUserName(user) || (await store.getDocument(userDocumentKey(user))) === undefined) {
      throw new AppError('not_found', userNotFound(user));
    }
    const keys: string[] = [];
    for await (const key of store.list(tokenListingPrefix(user))) keys.push(key);
    const listings = await Promise.all(keys.map((key) => readDocument<TokenListing>(store, key)));
    return listings
      .flatMap((l) => (l === undefined ? [] : [toInfo(user, l.value)]))
      .sort((a, b) => a.created.localeCompare(b.created) || a.key.localeCompare(b.key));
  }

  async function createToken(
    user: string,
    opts: CreateTokenOptions = {},
  ): Promise<{ secret: string; info: TokenInfo }> {
    assertValidDescription(opts.description);
    const cidrWhitelist = normalizeCidrWhitelist(opts.cidrWhitelist ?? []);
    if (opts.expiresInMs !== undefined && (!Number.isInteger(opts.expiresInMs) || opts.expiresInMs <= 0)) {
      throw new AppError('invalid_request', 'a token\'s lifetime must be a positive number of milliseconds');
    }
    const session = opts.session ?? false;
    const now = clock().getTime();
    const held = (await listTokens(user)).filter((t) => t.session === session);
    if (session) {
      // Expired sessions go first, then the oldest live ones (listTokens sorts by creation): a login never fails
      // because earlier logins were never logged out.
      const live = held.filter((t) => !hasExpired(t.expires, now));
      const over = live.slice(0, Math.max(0, live.length - MAX_SESSIONS_PER_USER + 1));
      for (const old of [...held.filter((t) => hasExpired(t.expires, now)), ...over]) await revokeKey(user, old.key);
    } else if (held.length >= MAX_TOKENS_PER_USER) {
      throw new AppError('resource_exhausted', `a user may hold at most ${MAX_TOKENS_PER_USER} tokens; revoke some first`);
    }
    const secret = newTokenSecret();
    const created = new Date(now).toISOString();
    const expiry = opts.expiresInMs === undefined ? {} : { expires: new Date(now + opts.expiresInMs).toISOString() };
    const listing: TokenListing = {
      key: tokenKeyOf(secret), prefix: listedPrefixOf(secret), readonly: opts.readonly ?? false, cidrWhitelist,
      description: opts.description ?? null, ...(session ? { session } : {}), created, updated: created, ...expiry,
    };
    const doc: TokenDocument = { version: 1, user, readonly: listing.readonly, cidrWhitelist, description: listing.description, created, ...expiry };
    // 256 random bits: a collision is not expected, but a conditional create makes sure one could never overwrite.
    if (!(await createDocument(store, tokenListingKey(user, listing.key), listing))
      || !(await createDocument(store, tokenDocumentKey(listing.key), doc))) {
      throw new AppError('internal', 'token key collision');
    }
    logger.info({ user, tokenKey: listing.key, readonly: listing.readonly }, 'token created');
    return { secret, info: toInfo(user, listing) };
  }

  /** A token secret checked: its principal, or its owner when it is known but not usable from this address. */
  async function checkToken(secret: string, remoteAddr?: string): Promise<TokenCheck> {
    if (!looksLikeTokenSecret(secret)) return { kind: 'unknown' };
    const key = tokenKeyOf(secret);
    const known = verified.get(key) ?? (await loadTokenOnce(key));
    if (known === undefined) return { kind: 'unknown' };
    // An expired token is refused as a revoked one is: the caller is told to log in again, nobody is claimed.
    if (known.validUntil !== undefined && known.validUntil <= clock().getTime()) return { kind: 'unknown' };
    if (!isAddressWhitelisted(known.cidrWhitelist, remoteAddr)) {
      logger.warn({ user: known.principal.user.name, tokenKey: key, remoteAddr }, 'token used from outside its CIDR whitelist');
      return { kind: 'refused', owner: known.principal.user.name };
    }
    await recordUse(known.principal.user.name, key);
    return { kind: 'valid', principal: known.principal };
  }

  // When each token's use was last written (this instance): bounded, and a forgotten entry costs one extra write.
  const lastWritten = new Lru<string, number>({ maxEntries: 10_000 });
  /**
   * Best effort: a failed write loses one "last used" time, never a request. The first use in a minute waits
   * for its one write (so the listing is current when the request is answered); the others skip it.
   */
  async function recordUse(user: string, key: string): Promise<void> {
    const now = clock().getTime();
    const written = lastWritten.get(key);
    if (written !== undefined && now - written < LAST_USE_RESOLUTION_MS) return;
    lastWritten.set(key, now);
    const at = new Date(now - (now % LAST_USE_RESOLUTION_MS)).toISOString();
    try {
      await updateDocument<TokenListing>(store, tokenListingKey(user, key), (listing) => (listing === undefined ? undefined : { ...listing, lastUsed: at }), { contentType: 'application/json' });
    } catch (err) {
      logger.warn({ err, user, tokenKey: key }, 'could not record a token\'s last use');
    }
  }

  async function verifyToken(secret: string, remoteAddr?: string): Promise<Principal | undefined> {
    const checked = await checkToken(secret, remoteAddr);
    return checked.kind === 'valid' ? checked.principal : undefined;
  }

  /** Concurrent first requests with one token (npm fetches in parallel) share one load. */
  const loading = new Map<string, Promise<CachedToken | undefined>>();
  function loadTokenOnce(key: string): Promise<CachedToken | undefined> {
    const pending = loading.get(key) ?? loadToken(key).finally(() => loading.delete(key));
    loading.set(key, pending);
    return pending;
  }

  async function loadToken(key: string): Promise<CachedToken | undefined> {
    const token = await readDocument<TokenDocument>(store, tokenDocumentKey(key));
    if (token === undefined) return undefined;
    const owner = await readDocument<UserDocument>(store, userDocumentKey(token.value.user));
    if (owner === undefined || owner.value.user.disabled === true) return undefined;
    const entry: CachedToken = {
      principal: { user: owner.value.user, via: 'token', tokenKey: key, readonly: token.value.readonly },
      cidrWhitelist: token.value.cidrWhitelist,
      ...(token.value.expires === undefined ? {} : { validUntil: Date.parse(token.value.expires) }),
    };
    verified.remember(key, entry);
    return entry;
  }

  async function revokeToken(user: string, keyOrPrefix: string): Promise<void> {
    await revokeKey(user, findTokenKey(await listTokens(user), keyOrPrefix));
  }

  async function revokeKey(user: string, key: string): Promise<void> {
    verified.forget(key);
    await store.delete(tokenDocumentKey(key));
    await store.delete(tokenListingKey(user, key));
    logger.info({ user, tokenKey: key }, 'token revoked');
  }

  return { createToken, checkToken, verifyToken, listTokens, revokeToken };
}

/**
 * What `npm token revoke <id>` may send: the full key, a unique key prefix (npm lists 6 characters), the listed
 * token prefix (with or without "…"), or the whole secret.
 */
function findTokenKey(tokens: TokenInfo[], given: string): string {
  const wanted = given.trim();
  const asSecretKey = looksLikeTokenSecret(wanted) ? tokenKeyOf(wanted) : undefined;
  const exact = tokens.find((t) => t.key === wanted || t.key === asSecretKey);
  if (exact !== undefined) return exact.key;
  const bare = wanted.replace(/(…|\.\.\.)$/, '');
  const matches = bare.length < 6 ? [] : tokens.filter((t) => t.key.startsWith(bare) || t.token === `${bare}…`);
  if (matches.length > 1) throw new AppError('invalid_request', `token id ${JSON.stringify(bare)} is ambiguous; use the full key`);
  const [match] = matches;
  if (match === undefined) throw new AppError('not_found', 'no such token');
  return match.key;
}
