import type { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { ifNoneMatch, type ByteRange } from './conditional-requests';
import { sendBody } from './send-body';
import { sendDownloadRedirect } from './send-download-redirect';

/** A stored file as a service hands it to its download route (the read-through's answer, `BlobAnswer`). */
export interface BlobToSend {
  body: Readable | Buffer | undefined;
  size: number | undefined;
  range?: ByteRange;
  /** 'upstream' when this request filled the cache (`X-Registry-Cache: miss`). */
  source: 'cache' | 'upstream';
  /** With download redirects on, where a whole GET of a cached blob gets its bytes (a presigned object URL). */
  location?: string | undefined;
}

export interface BlobHeaders {
  contentType: string;
  cacheControl: string;
  /** A strong validator of the bytes (a digest), when the service knows one: If-None-Match gets a 304. */
  etag?: string | undefined;
  lastModified?: Date | undefined;
}

/**
 * Answers a download (an npm tarball, a PyPI file) the one way both registries do: exact bytes, never a
 * Content-Encoding, `Accept-Ranges: bytes`, 206 with Content-Range when the read-through served a range, a 304
 * when If-None-Match names the ETag, a 302 to `location` when the read-through gave one (download redirects), and
 * HEAD without a body. The route has declared its audit facts before.
 */
export function sendBlob(req: Request, res: Response, blob: BlobToSend, headers: BlobHeaders, signal: AbortSignal): Promise<void> {
  res.setHeader('Content-Type', headers.contentType);
  res.setHeader('Cache-Control', headers.cacheControl);
  res.setHeader('Accept-Ranges', 'bytes');
  if (headers.etag !== undefined) res.setHeader('ETag', headers.etag);
  if (headers.lastModified !== undefined) res.setHeader('Last-Modified', headers.lastModified.toUTCString());
  if (blob.source === 'upstream') res.setHeader('X-Registry-Cache', 'miss');
  if (headers.etag !== undefined && ifNoneMatch(req, headers.etag)) {
    if (blob.body !== undefined && !Buffer.isBuffer(blob.body)) blob.body.destroy();
    res.statusCode = 304;
    res.end();
    return Promise.resolve();
  }
  if (blob.location !== undefined) {
    sendDownloadRedirect(res, blob.location);
    return Promise.resolve();
  }
  if (blob.range !== undefined && blob.size !== undefined) {
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${blob.range.start}-${blob.range.end}/${blob.size}`);
    res.setHeader('Content-Length', blob.range.end - blob.range.start + 1);
  } else if (blob.size !== undefined) {
    res.setHeader('Content-Length', blob.size);
  }
  return sendBody(req, res, blob.body, signal);
}
