import type { Request } from 'express';
import { AppError } from '@registry/shared-errors';

/** Inclusive byte range, as in `Range: bytes=start-end` (the storage port's ByteRange has the same shape). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * True when If-None-Match names one of `etags` (weak comparison, lists and `*`: protocols §6.2). Only a
 * validator the client sent can match, so an unconditional request never gets a 304 (protocols §8.7).
 */
export function ifNoneMatch(req: Request, ...etags: string[]): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined || header === '') return false;
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = etags.map(bare);
  return header.split(',').some((tag) => tag.trim() === '*' || wanted.includes(bare(tag)));
}

/**
 * One `bytes=a-b`, `bytes=a-` or `bytes=-n` range resolved against the size (protocols §6.4); anything else
 * (several ranges, other units) is ignored and the whole body is served. A range that starts at or past the end
 * is AppError('range_not_satisfiable') with the `Content-Range: bytes *\/size` the client needs.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) {
    throw new AppError('range_not_satisfiable', `range ${header} is outside 0-${size - 1}`, { headers: { 'content-range': `bytes */${size}` } });
  }
  return { start, end };
}
