import type { Request, Response } from 'express';

export interface PublicUrlOptions {
  /** NPM_PUBLIC_URL: wins over everything. */
  publicUrl: string | undefined;
}

/**
 * Base URL written into `dist.tarball` (protocols §3.6): the configured public URL, else the request's scheme and
 * host. Express honours X-Forwarded-Proto/Host only when "trust proxy" is on (TRUST_PROXY).
 */
export function baseUrlOf(req: Request, opts: PublicUrlOptions): string {
  if (opts.publicUrl) return opts.publicUrl;
  const host = req.host ?? req.get('host') ?? '127.0.0.1';
  return `${req.protocol}://${host}`;
}

/** Login, token and `?write=true` answers are never cached (protocols §6.2). */
export function noStore(res: Response): void {
  res.set('cache-control', 'private, no-cache, no-store');
}

export const queryString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
