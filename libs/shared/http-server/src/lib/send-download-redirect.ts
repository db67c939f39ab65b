import type { ServerResponse } from 'node:http';

/** The file's own headers: a redirect carries none of them (a cache would pin them on the 302). */
const FILE_HEADERS = ['content-type', 'content-length', 'content-range', 'etag', 'last-modified', 'accept-ranges'];

/**
 * Sends the client to `location` for the bytes of a file (STORAGE_DOWNLOAD_REDIRECT: a presigned object URL). 302,
 * so every client repeats its GET there; never cached, because the URL expires. The URL is a bearer credential: it
 * goes in this header only, never in a log. Plain node:http, so an Express route and a raw handler share it.
 */
export function sendDownloadRedirect(res: ServerResponse, location: string): void {
  for (const name of FILE_HEADERS) res.removeHeader(name);
  res.statusCode = 302;
  // setHeader, not Express's res.location(): the signed query must reach the client byte for byte.
  res.setHeader('Location', location);
  res.setHeader('Cache-Control', 'no-store');
  res.end();
}
