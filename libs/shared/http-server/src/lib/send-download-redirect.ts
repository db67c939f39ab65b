import type { Response } from 'express';

/** The file's own headers: a redirect carries none of them (a cache would pin them on the 302). */
const FILE_HEADERS = ['content-type', 'content-length', 'content-range', 'etag', 'last-modified', 'accept-ranges'];

/**
 * Sends the client to `location` for the bytes of a file (STORAGE_DOWNLOAD_REDIRECT: a presigned object URL). 302,
 * so every client repeats its GET there; never cached, because the URL expires (and a shared cache must not hand
 * one caller's URL to another). The URL is a bearer credential: it goes in this header only, never in a log.
 */
export function sendDownloadRedirect(res: Response, location: string): void {
  for (const name of FILE_HEADERS) res.removeHeader(name);
  // setHeader, not res.location(): the signed query must reach the client byte for byte.
  res.status(302).setHeader('Location', location).setHeader('Cache-Control', 'no-store').end();
}
