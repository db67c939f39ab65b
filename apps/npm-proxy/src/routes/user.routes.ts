import express, { Router, type Response } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import type { IdentityService, TokenInfo } from '@registry/auth-identity';
import { audit, handler, npmLocals, requirePrincipal } from '../http/npm-context';
import { noStore } from '../http/http-helpers';

const COUCH_PREFIX = 'org.couchdb.user:';

/**
 * Login, whoami, logout and tokens (protocols.md §4.6-4.8), on the shared identity service. Every attempt
 * is an `npm.user.login` event with its status, including refusals.
 */
export function userRoutes(opts: { identity: IdentityService; allowSignup: boolean }): Router {
  const router = Router();
  const json = express.json({ limit: '64kb', strict: false });
  const loginEvent = (res: Response, operation: string, user?: string) =>
    audit(res, { event_type: 'npm.user.login', extra: { operation, ...(user ? { user } : {}) } });

  // Web login: 404 makes npm fall back to the couch flow below (a 5xx other than 500 would not, §4.6).
  router.post('/-/v1/login', (_req, res, next) => {
    loginEvent(res, 'web-login');
    next(new AppError('not_found', 'web login is not supported by this registry; npm falls back to the legacy login'));
  });

  router.put('/-/user/:couchId', json, handler(async (req, res) => {
    const couchId = req.params['couchId'] as string;
    const body = (req.body ?? {}) as { name?: unknown; password?: unknown; email?: unknown };
    const name = couchId.startsWith(COUCH_PREFIX) ? couchId.slice(COUCH_PREFIX.length) : '';
    loginEvent(res, 'login', name);
    noStore(res);
    if (!name || body.name !== name || typeof body.password !== 'string') {
      throw new AppError('invalid_request', 'expected {name, password} for org.couchdb.user:<name>');
    }
    let user = await opts.identity.verifyPassword(name, body.password, req.ip);
    if (!user) {
      const existing = await opts.identity.getUser(name);
      if (existing) throw new AppError('unauthenticated', `incorrect username or password for ${name}`);
      if (!opts.allowSignup) throw new AppError('forbidden', 'user registration is disabled on this registry');
      audit(res, { extra: { operation: 'adduser' } });
      user = await opts.identity.createUser({ name, password: body.password, email: typeof body.email === 'string' ? body.email : null });
    }
    const { secret } = await opts.identity.createToken(user.name, { description: 'npm login' });
    res.status(201).json({ ok: true, id: `${COUCH_PREFIX}${user.name}`, rev: '_we_dont_use_revs_any_more', token: secret });
  }));

  router.get('/-/user/:couchId', handler(async (req, res) => {
    const couchId = req.params['couchId'] as string;
    const user = await opts.identity.getUser(couchId.replace(COUCH_PREFIX, ''));
    if (!user) throw new AppError('not_found', 'user not found');
    noStore(res);
    res.json({ name: user.name, email: user.email ?? undefined });
  }));

  router.get('/-/whoami', handler(async (_req, res) => {
    loginEvent(res, 'whoami');
    const principal = requirePrincipal(res);
    noStore(res);
    res.json({ username: principal.user.name });
  }));

  router.delete('/-/user/token/:token', handler(async (req, res) => {
    loginEvent(res, 'logout');
    const principal = await opts.identity.verifyToken(req.params['token'] as string, req.ip);
    if (!principal?.tokenKey) throw new AppError('not_found', 'token not found');
    npmLocals(res).principal = principal;
    await opts.identity.revokeToken(principal.user.name, principal.tokenKey);
    noStore(res);
    res.json({ ok: 'logged out' });
  }));

  router.get('/-/npm/v1/tokens', handler(async (_req, res) => {
    loginEvent(res, 'token-list');
    const principal = requirePrincipal(res);
    const tokens = await opts.identity.listTokens(principal.user.name);
    noStore(res);
    // `urls` must be an object or `npm token list` crashes (§4.8, §8 item 24).
    res.json({ objects: tokens.map(toNpmToken), total: tokens.length, urls: {} });
  }));

  router.post('/-/npm/v1/tokens', json, handler(async (req, res) => {
    loginEvent(res, 'token-create');
    const principal = requirePrincipal(res);
    const body = (req.body ?? {}) as { password?: unknown; readonly?: unknown; cidr_whitelist?: unknown };
    const password = typeof body.password === 'string' ? body.password : '';
    if (!(await opts.identity.verifyPassword(principal.user.name, password, req.ip))) {
      throw new AppError('unauthenticated', 'incorrect password');
    }
    const cidr = Array.isArray(body.cidr_whitelist) ? body.cidr_whitelist.filter((c): c is string => typeof c === 'string') : [];
    const { secret, info } = await opts.identity.createToken(principal.user.name, { readonly: body.readonly === true, cidrWhitelist: cidr, description: 'npm token create' });
    noStore(res);
    res.status(200).json({ ...toNpmToken(info), token: secret });
  }));

  router.delete('/-/npm/v1/tokens/token/:key', handler(async (req, res) => {
    loginEvent(res, 'token-revoke');
    const principal = requirePrincipal(res);
    const given = req.params['key'] as string;
    // npm passes the key, a key prefix, or the raw token.
    const asToken = await opts.identity.verifyToken(given, req.ip).catch(() => undefined);
    const key = asToken?.user.name === principal.user.name && asToken.tokenKey ? asToken.tokenKey : given;
    try {
      await opts.identity.revokeToken(principal.user.name, key);
    } catch (err) {
      if (isAppError(err) && err.code === 'not_found') throw new AppError('not_found', 'no such token');
      throw err;
    }
    noStore(res);
    res.status(204).end();
  }));

  return router;
}

const toNpmToken = (t: TokenInfo) => ({
  token: t.token, key: t.key, cidr_whitelist: t.cidrWhitelist.length > 0 ? t.cidrWhitelist : null,
  readonly: t.readonly, created: t.created, updated: t.updated, ...(t.description ? { name: t.description } : {}),
});
