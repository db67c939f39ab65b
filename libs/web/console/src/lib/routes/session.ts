import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { WEB_BASE } from '../html';

/** The session cookie holds an identity-service session token: the same kind `npm login` mints. */
export const SESSION_COOKIE = 'registry_console_session';
/** A random value per browser, repeated in every form (double submit): a cross-site form cannot know it. */
export const FORM_COOKIE = 'registry_console_form';

const FROM_SESSION = Symbol('fromSession');
const FORM_TOKEN = Symbol('formToken');
type ConsoleRequest = Request & { [FROM_SESSION]?: boolean; [FORM_TOKEN]?: string };

export function cookiesOf(req: Request): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie that is not percent-encoding is not one of ours: ignored.
    }
  }
  return out;
}

/**
 * HttpOnly (no script reads it; none runs anyway), SameSite=Strict (never sent by another site's request), Secure
 * when the console is reached over https (as Express sees it: TRUST_PROXY decides whether X-Forwarded-Proto counts).
 * `maxAgeMs`: the browser drops it then (the session cookie, as its token expires); without, when the browser closes.
 */
export function setCookie(req: Request, res: Response, name: string, value: string, maxAgeMs?: number): void {
  const maxAge = maxAgeMs === undefined ? '' : `; Max-Age=${Math.floor(maxAgeMs / 1000)}`;
  res.append('Set-Cookie', `${name}=${encodeURIComponent(value)}; Path=${WEB_BASE}; HttpOnly; SameSite=Strict${maxAge}${req.secure ? '; Secure' : ''}`);
}

export function clearCookie(req: Request, res: Response, name: string): void {
  res.append('Set-Cookie', `${name}=; Path=${WEB_BASE}; HttpOnly; SameSite=Strict; Max-Age=0${req.secure ? '; Secure' : ''}`);
}

/**
 * Before every console route: a session cookie becomes the request's `Authorization` (unless the request has
 * its own), so the app's one `route` authenticates the browser exactly as it does npm and pip, with the same
 * rules and audit; the browser gets its form cookie on its first visit.
 */
export const consoleSession: RequestHandler = (req, res, next) => {
  const cookies = cookiesOf(req);
  const session = cookies[SESSION_COOKIE];
  if (session && req.headers.authorization === undefined) {
    req.headers.authorization = `Bearer ${session}`;
    (req as ConsoleRequest)[FROM_SESSION] = true;
  }
  let form = cookies[FORM_COOKIE];
  if (!form || !/^[A-Za-z0-9_-]{43}$/.test(form)) {
    form = randomBytes(32).toString('base64url');
    setCookie(req, res, FORM_COOKIE, form);
  }
  (req as ConsoleRequest)[FORM_TOKEN] = form;
  next();
};

/** True when the request's credentials came from the session cookie (a refusal then ends the session). */
export const isSessionRequest = (req: Request): boolean => (req as ConsoleRequest)[FROM_SESSION] === true;

/** The session token of this request, when it came from the cookie. */
export const sessionTokenOf = (req: Request): string | undefined => (isSessionRequest(req) ? cookiesOf(req)[SESSION_COOKIE] : undefined);

export const formTokenOf = (req: Request): string => (req as ConsoleRequest)[FORM_TOKEN] ?? '';

/**
 * Every console POST: the form's token must equal the browser's form cookie, and a browser that says where the
 * request comes from (Sec-Fetch-Site, Origin) must say this site. Refused with a 403 before anything changes.
 */
export function checkForm(req: Request): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new AppError('forbidden', 'a console form may only be sent from the console itself');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null' && hostOf(origin) !== req.host) throw new AppError('forbidden', 'a console form may only be sent from the console itself');
  const sent = typeof (req.body as Record<string, unknown> | undefined)?.['csrf'] === 'string' ? String((req.body as Record<string, unknown>)['csrf']) : '';
  const expected = cookiesOf(req)[FORM_COOKIE] ?? '';
  if (expected === '' || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
    throw new AppError('forbidden', 'the form token is missing or does not match: reload the page and send the form again');
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
