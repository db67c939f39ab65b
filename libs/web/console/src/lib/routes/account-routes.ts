import type { Request, Response, Router } from 'express';
import { AppError } from '@registry/shared-errors';
import { WEB_BASE } from '../html';
import { renderAccountPage, renderLoginPage, type AccountView } from '../account-pages';
import type { ConsoleKit } from './console-router';
import type { ConsoleOptions, ConsolePrincipal } from './ports';
import { checkForm, clearCookie, isSessionRequest, SESSION_COOKIE, setCookie } from './session';

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/**
 * The audit facts of a console form that changes accounts or tokens: `extra.operation` names it (`console-` and
 * the name the clients' own route uses), `extra.console` the registry whose console it was.
 */
export const accountEvent = (opts: ConsoleOptions, operation: string) => () => opts.audit.accountFacts({ operation: `console-${operation}`, console: opts.registry });

/**
 * Adds what the form said to its event: more `extra`, and the user names it claims (`user` the one logging in,
 * `account` the one an admin acts on), cleaned as the clients' routes clean a claimed name.
 */
export function declareAccountFacts(opts: ConsoleOptions, res: Response, extra: Record<string, string>, names: { user?: string; account?: string } = {}): void {
  const claimed = Object.entries(names).flatMap(([key, name]) => (name === undefined ? [] : [[key, opts.audit.claimedName(name)]]));
  opts.audit.declare(res, { extra: { ...extra, ...Object.fromEntries(claimed) } });
}

/**
 * Log in and out with a form, and the account page. A login checks the password with the identity service and
 * mints a session token there (as `npm login` does) that expires after WEB_CONSOLE_SESSION_TTL_MS, kept in the
 * session cookie for as long; logging out revokes it. Each of these forms is an audit event, refusals included.
 */
export function accountRoutes(router: Router, opts: ConsoleOptions, kit: ConsoleKit): void {
  const { identity, route } = opts;
  const callerOf = (res: Response): ConsolePrincipal => {
    const principal = opts.callerOf(res);
    if (!principal) throw new AppError('unauthenticated', 'log in first');
    return principal;
  };

  router.get(`${WEB_BASE}/login`, route('public', () => ({}), (req, res) => {
    kit.send(res, 200, renderLoginPage(kit.chromeOf(req, res)), { private: true });
  }));

  router.post(`${WEB_BASE}/login`, route('public', accountEvent(opts, 'login'), async (req, res) => {
    await kit.readForm(req, res);
    const name = field(req, 'name').trim();
    if (name !== '') declareAccountFacts(opts, res, {}, { user: name });
    checkForm(req);
    const user = name === '' ? undefined : await identity.verifyPassword(name, field(req, 'password'), req.ip);
    if (!user) {
      kit.send(res, 401, renderLoginPage(kit.chromeOf(req, res), { error: 'Wrong user name or password.', name: name.slice(0, 100) }), { private: true });
      return;
    }
    const { secret } = await identity.createToken(user.name, { session: true, description: 'web console login', expiresInMs: opts.sessionTtlMs });
    setCookie(req, res, SESSION_COOKIE, secret, opts.sessionTtlMs);
    res.redirect(303, `${WEB_BASE}/account`);
  }));

  router.post(`${WEB_BASE}/logout`, route('user', accountEvent(opts, 'logout'), async (req, res) => {
    const principal = callerOf(res);
    await kit.readForm(req, res);
    checkForm(req);
    if (isSessionRequest(req) && principal.tokenKey) await identity.revokeToken(principal.user.name, principal.tokenKey);
    clearCookie(req, res, SESSION_COOKIE);
    res.redirect(303, `${WEB_BASE}/`);
  }));

  const accountPage = async (req: Request, res: Response, status: number, created?: AccountView['created']) => {
    const { user } = callerOf(res);
    const [tokens, packages] = await Promise.all([identity.listTokens(user.name), opts.packagesOf(user.name)]);
    const registryUrl = `${req.protocol}://${req.host}`;
    kit.send(res, status, renderAccountPage({ user, tokens, packages, registryUrl, ...(created ? { created } : {}) }, kit.chromeOf(req, res)), { private: true });
  };

  router.get(`${WEB_BASE}/account`, route('user', () => ({}), (req, res) => accountPage(req, res, 200)));

  router.post(`${WEB_BASE}/account/tokens`, route('user', accountEvent(opts, 'token-create'), async (req, res) => {
    const { user } = callerOf(res);
    await kit.readForm(req, res);
    checkForm(req);
    const scope = field(req, 'scope');
    if (scope !== 'read' && scope !== 'publish') throw new AppError('invalid_request', 'choose the token\'s scope: read or publish');
    declareAccountFacts(opts, res, { scope });
    const description = field(req, 'description').trim();
    if (description === '') throw new AppError('invalid_request', 'give the token a description');
    const created = await identity.createToken(user.name, { readonly: scope === 'read', description });
    await accountPage(req, res, 201, created);
  }));

  router.post(`${WEB_BASE}/account/tokens/revoke`, route('user', accountEvent(opts, 'token-revoke'), async (req, res) => {
    const { user } = callerOf(res);
    await kit.readForm(req, res);
    checkForm(req);
    const key = field(req, 'key');
    if (!/^[A-Za-z0-9_-]{6,128}$/.test(key)) throw new AppError('invalid_request', 'not a token id');
    await identity.revokeToken(user.name, key);
    res.redirect(303, `${WEB_BASE}/account`);
  }));
}
