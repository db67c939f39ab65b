/** What an `Authorization` header claims, before anything is checked. */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'token'; secret: string }
  | { kind: 'password'; user: string; password: string }
  | { kind: 'malformed'; reason: string };

/** PyPI API tokens are sent as Basic auth with this user name (twine, pip, uv, poetry). */
export const PYPI_TOKEN_USER = '__token__';

/**
 * Parses RFC 9110 §11.6.2 `Authorization`: `Bearer <token>` (RFC 6750; npm) or `Basic <base64(user:pass)>`
 * (RFC 7617; pip/twine, and `__token__:<token>` for API tokens). The scheme is case-insensitive.
 */
export function parseAuthorization(header: string | undefined): Credentials {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const match = /^([A-Za-z]+) +(\S+)\s*$/.exec(header.trim());
  if (match === null) return { kind: 'malformed', reason: 'malformed Authorization header' };
  const scheme = (match[1] ?? '').toLowerCase();
  const value = match[2] ?? '';
  if (scheme === 'bearer') return { kind: 'token', secret: value };
  if (scheme !== 'basic') return { kind: 'malformed', reason: `unsupported authorization scheme ${scheme}` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'malformed', reason: 'Basic credentials are not base64' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { kind: 'malformed', reason: 'Basic credentials lack "user:password"' };
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (user === PYPI_TOKEN_USER) return { kind: 'token', secret: password };
  return { kind: 'password', user, password };
}
