import { AppError } from '@registry/shared-errors';

/** What `npm token create` posts (protocols §4.8): the classic shape and npm 11's granular one. */
export interface TokenCreateBody {
  password?: unknown;
  readonly?: unknown;
  cidr_whitelist?: unknown;
  packages_and_scopes_permission?: unknown;
  packages?: unknown;
  packages_all?: unknown;
  scopes?: unknown;
  orgs?: unknown;
  expires?: unknown;
}

/**
 * Whether the new token is read-only: classic `readonly: true`, or npm 11's
 * `packages_and_scopes_permission: "read-only"`. Limits this registry cannot honour (per-package, per-scope,
 * per-org, expiry, no-access) are refused rather than ignored: ignoring them would mint a token with more rights
 * than asked for.
 */
export function requestedReadonly(body: TokenCreateBody): boolean {
  const permission = body.packages_and_scopes_permission;
  if (permission !== undefined && permission !== null && permission !== 'read-only' && permission !== 'read-write') {
    throw new AppError('invalid_request', 'packages_and_scopes_permission must be "read-only" or "read-write" on this registry');
  }
  for (const field of ['packages', 'scopes', 'orgs', 'expires'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
      throw new AppError('invalid_request', `tokens limited by ${field} are not supported by this registry; use --packages-and-scopes-permission=read-only or a full token`);
    }
  }
  return body.readonly === true || permission === 'read-only';
}
