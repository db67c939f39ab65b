import { AppError } from '@registry/shared-errors';
import { discardBody, readBuffer } from './read-body';
import type { UpstreamClient } from './upstream-client';

/** An upstream's answer to a conditional GET of one metadata document: its bytes, or why there are none. */
export type ConditionalGetResult =
  | { kind: 'ok'; body: Buffer; etag: string | undefined; contentType: string | undefined; url: string }
  | { kind: 'not_modified' }
  | { kind: 'not_found' };

export interface ConditionalGetOptions {
  accept: string;
  /** The stored ETag, sent as If-None-Match. */
  etag: string | undefined;
  /** Largest body accepted (a hostile upstream cannot exhaust memory). */
  maxBytes: number;
  /** Statuses meaning "the upstream does not have it"; default 404 and 410. */
  notFound?: readonly number[];
  /** What the document is, for the error message; default its URL. */
  what?: string;
}

const NOT_FOUND = [404, 410];

/**
 * The one conditional GET of an upstream document (packument, project page, keys, provenance, attestations):
 * 200 is the bytes, 304 `not_modified`, a not-found status `not_found`; anything else is
 * AppError('upstream_unavailable'), which the document cache answers with its last good copy.
 */
export async function conditionalGet(client: UpstreamClient, url: string, opts: ConditionalGetOptions): Promise<ConditionalGetResult> {
  const res = await client.request(url, { headers: { accept: opts.accept }, ...(opts.etag ? { ifNoneMatch: opts.etag } : {}) });
  if (res.status === 304) {
    await discardBody(res);
    return { kind: 'not_modified' };
  }
  if ((opts.notFound ?? NOT_FOUND).includes(res.status)) {
    await discardBody(res);
    return { kind: 'not_found' };
  }
  if (res.status !== 200) {
    await discardBody(res);
    throw new AppError('upstream_unavailable', `upstream answered ${res.status} for ${opts.what ?? res.url}`);
  }
  const body = await readBuffer(res, opts.maxBytes);
  return { kind: 'ok', body, etag: res.headers['etag'], contentType: res.headers['content-type'], url: res.url };
}
