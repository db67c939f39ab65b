import type { Request, Response } from 'express';
import { AppError } from '@registry/shared-errors';

export interface PublicUrlOptions {
  /** NPM_PUBLIC_URL: wins over everything; the request's Host is then never reflected. */
  publicUrl: string | undefined;
  /** NPM_ALLOWED_HOSTS: without a public URL, the only Host values reflected into tarball URLs (empty: any). */
  allowedHosts: readonly string[];
}

/** Headers a reflected base URL depends on: a shared cache must keep one copy per Host. */
export const REFLECTED_HOST_VARY = 'Host, X-Forwarded-Host, X-Forwarded-Proto';

/**
 * Base URL written into `dist.tarball` (protocols §3.6): the configured public URL, else the request's scheme and
 * host, which must be on NPM_ALLOWED_HOSTS when that is set. Express takes X-Forwarded-Proto/Host only from the
 * peers TRUST_PROXY names (a hop count or CIDRs), so a client cannot forge them. A reflected host answer varies on
 * Host (`REFLECTED_HOST_VARY`, set here).
 */
export function baseUrlOf(req: Request, res: Response, opts: PublicUrlOptions): string {
  if (opts.publicUrl) return opts.publicUrl;
  const host = req.host ?? req.get('host') ?? '127.0.0.1';
  if (opts.allowedHosts.length > 0 && !opts.allowedHosts.includes(host.toLowerCase())) {
    throw new AppError('invalid_request', `Host ${JSON.stringify(host.slice(0, 100))} is not one of NPM_ALLOWED_HOSTS`);
  }
  res.vary(REFLECTED_HOST_VARY);
  return `${req.protocol}://${host}`;
}

/** Login, token and `?write=true` answers are never cached (protocols §6.2). */
export function noStore(res: Response): void {
  res.set('cache-control', 'private, no-cache, no-store');
}

export const queryString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
