import type { Request, Response } from 'express';
import { AppError } from '@registry/shared-errors';
import type { ByteRange } from '@registry/storage-blob-store';

export interface PublicUrlOptions {
  /** NPM_PUBLIC_URL: wins over everything. */
  publicUrl: string | undefined;
}

/**
 * Base URL written into `dist.tarball` (§3.6): the configured public URL, else the request's scheme and
 * host. Express honours X-Forwarded-Proto/Host only when "trust proxy" is on (TRUST_PROXY).
 */
export function baseUrlOf(req: Request, opts: PublicUrlOptions): string {
  if (opts.publicUrl) return opts.publicUrl;
  const host = req.host ?? req.get('host') ?? '127.0.0.1';
  return `${req.protocol}://${host}`;
}

/** If-None-Match with weak comparison, lists and `*` (RFC 9110 §13.1.2). Only a sent validator yields 304 (§8 item 7). */
export function matchesIfNoneMatch(req: Request, etag: string): boolean {
  const header = req.get('if-none-match');
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

export const acceptsGzip = (req: Request): boolean => /\bgzip\b/i.test(req.get('accept-encoding') ?? '');

/** Single `bytes=` range, resolved against the size; undefined = serve the whole body. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new AppError('range_not_satisfiable', `range ${header} is outside 0-${size - 1}`, { headers: { 'content-range': `bytes */${size}` } });
  }
  return { start, end };
}

export function noStore(res: Response): void {
  res.set('cache-control', 'private, no-cache, no-store');
}

export const queryString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
