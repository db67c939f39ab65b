import type { Response } from 'express';

/** A copy served past its freshness because the upstream could not be asked: said in a header and as RFC 9111's Warning 110. */
export function markStale(res: Response): void {
  res.setHeader('X-Registry-Stale', 'true').setHeader('Warning', '110 - "Response is Stale"');
}
