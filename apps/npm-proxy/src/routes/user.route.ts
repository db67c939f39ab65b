import express, { Router, type Request } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import { claimedUserName, type IdentityService, type TokenInfo } from '@registry/auth-identity';
import { actAs, principalIfAny, principalOf, type Route } from '../http/route';
import { logInOrSignUp } from './log-in-or-sign-up';
import { requestedReadonly, type TokenCreateBody } from './token-create-body';
import { noStore } from '../http/http-helpers';

const COUCH_PREFIX = 'org.couchdb.user:';
// The user a login names goes on its event, refused or not (README "What an event means"), as a user name or not at all.
const loginEvent = (operation: string, user?: string) => () => ({ event_type: 'npm.user.login' as const, extra: { operation, ...(user ? { user: claimedUserName(user) } : {}) } });
const couchName = (req: Request): string => {
  const couchId = req.params['couchId'] as string;
  return couchId.startsWith(COUCH_PREFIX) ? couchId.slice(COUCH_PREFIX.length) : '';
};

/**
 * Login, whoami, logout and tokens (protocols §4.6-§4.8), on the shared identity service. Every attempt is an
 * `npm.user.login` event with its status, including refusals.
 */
export function userRoutes(opts: { identity: IdentityService; route: Route; allowSignup: boolean }): Router {
  const { identity, route } = opts;
  const router = Router();
  const json = express.json({ limit: '64kb', strict: false });

  // Web login: 404 makes npm fall back to the couch flow below (a 5xx other than 500 would not, protocols §8.25).
  router.post('/-/v1/login', route('public', loginEvent('web-login'), () => {
    throw new AppError('not_found', 'web login is not supported by this registry; npm falls back to the legacy login');
  }));

  router.put('/-/user/:couchId', route('login', (req) => loginEvent('login', couchName(req))(), async (req, res) => {
    const body = (req.body ?? {}) as { name?: unknown; password?: unknown; email?: unknown };
    const name = couchName(req);
    noStore(res);
    if (!name || body.name !== name || typeof body.password !== 'string') {
      throw new AppError('invalid_request', 'expected {name, password} for org.couchdb.user:<name>');
    }
    const user = await logInOrSignUp(identity, { name, password: body.password, email: body.email, remoteAddr: req.ip, allowSignup: opts.allowSignup }, res);
    // A session token: repeated logins revoke the oldest sessions instead of filling the token cap.
    const { secret } = await identity.createToken(user.name, { description: 'npm login', session: true });
    res.status(201).json({ ok: true, id: `${COUCH_PREFIX}${user.name}`, rev: '_we_dont_use_revs_any_more', token: secret });
  }, json));

  // A user record (with its e-mail) is shown to its owner and to admins only; to anyone else it does not exist.
  router.get('/-/user/:couchId', route('public', () => ({}), async (req, res) => {
    const caller = principalIfAny(res);
    const name = couchName(req);
    const mayRead = caller !== undefined && (caller.user.name === name || caller.user.roles.includes('admin'));
    const user = mayRead ? await identity.getUser(name) : undefined;
    if (!user) throw new AppError('not_found', 'user not found');
    noStore(res);
    res.json({ name: user.name, email: user.email ?? undefined });
  }));

  router.get('/-/whoami', route('user', loginEvent('whoami'), (_req, res) => {
    noStore(res);
    res.json({ username: principalOf(res).user.name });
  }));

  router.delete('/-/user/token/:token', route('public', loginEvent('logout'), async (req, res) => {
    const principal = await identity.verifyToken(req.params['token'] as string, req.ip);
    if (!principal?.tokenKey) throw new AppError('not_found', 'token not found');
    actAs(res, principal);
    await identity.revokeToken(principal.user.name, principal.tokenKey);
    noStore(res);
    res.json({ ok: 'logged out' });
  }));

  router.get('/-/npm/v1/tokens', route('user', loginEvent('token-list'), async (_req, res) => {
    const tokens = await identity.listTokens(principalOf(res).user.name);
    noStore(res);
    // `urls` must be an object or `npm token list` crashes (protocols §4.8, §8.24).
    res.json({ objects: tokens.map(toNpmToken), total: tokens.length, urls: {} });
  }));

  router.post('/-/npm/v1/tokens', route('user', loginEvent('token-create'), async (req, res) => {
    const principal = principalOf(res);
    const body = (req.body ?? {}) as TokenCreateBody;
    const readonly = requestedReadonly(body);
    const password = typeof body.password === 'string' ? body.password : '';
    if (!(await identity.verifyPassword(principal.user.name, password, req.ip))) {
      throw new AppError('unauthenticated', 'incorrect password');
    }
    const cidr = Array.isArray(body.cidr_whitelist) ? body.cidr_whitelist.filter((c): c is string => typeof c === 'string') : [];
    const { secret, info } = await identity.createToken(principal.user.name, { readonly, cidrWhitelist: cidr, description: 'npm token create' });
    noStore(res);
    res.status(200).json({ ...toNpmToken(info), token: secret });
  }, json));

  router.delete('/-/npm/v1/tokens/token/:key', route('user', loginEvent('token-revoke'), async (req, res) => {
    const principal = principalOf(res);
    const given = req.params['key'] as string;
    // npm passes the key, a key prefix, or the raw token.
    const asToken = await identity.verifyToken(given, req.ip).catch(() => undefined);
    const key = asToken?.user.name === principal.user.name && asToken.tokenKey ? asToken.tokenKey : given;
    try {
      await identity.revokeToken(principal.user.name, key);
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
