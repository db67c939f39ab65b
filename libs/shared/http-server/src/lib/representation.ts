import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { ifNoneMatch } from './conditional-requests';

const gzipAsync = promisify(gzip);
/** Below this, gzip's header and checksum outweigh what it saves. */
const MIN_GZIP_BYTES = 256;

/**
 * One serialized document (a packument, a project page) as served: the bytes, made once per change and kept,
 * with a strong ETag, and the same bytes gzipped on first use under their own strong ETag (protocols §6.2: a gzip
 * body and an identity body never share a strong validator).
 */
export interface Representation {
  readonly body: Buffer;
  readonly etag: string;
  readonly contentType: string;
  /** HTTP date of the last change, when known. */
  readonly lastModified: string | undefined;
  gzipped(): Promise<{ body: Buffer; etag: string }>;
}

export interface RepresentationOptions {
  contentType: string;
  /** Names the form (`full`, `corgi`, `json-v1`...), so two forms of one document never share an ETag. */
  label: string;
  lastModified?: string | Date | undefined;
}

/**
 * The representation of `body`, made on first use and kept as long as `body` is: services cache the serialized
 * bytes of a document per change, so its ETag is hashed, and its gzip made, once per change and not per request.
 */
export function representationOf(body: Buffer, opts: RepresentationOptions): Representation {
  let rep = representations.get(body);
  if (rep === undefined || rep.contentType !== opts.contentType) {
    rep = createRepresentation(body, opts);
    representations.set(body, rep);
  }
  return rep;
}

const representations = new WeakMap<Buffer, Representation>();

export function createRepresentation(body: Buffer, opts: RepresentationOptions): Representation {
  const view = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
  const tag = `${opts.label}-${createHash('sha1').update(view).digest('base64url')}`;
  let compressed: Promise<{ body: Buffer; etag: string }> | undefined;
  return {
    body,
    etag: `"${tag}"`,
    contentType: opts.contentType,
    lastModified: opts.lastModified === undefined ? undefined : new Date(opts.lastModified).toUTCString(),
    gzipped: () => (compressed ??= gzipAsync(view).then((zipped) => ({ body: zipped, etag: gzipEtag(tag) }))),
  };
}

const gzipEtag = (tag: string): string => `"${tag}-gzip"`;

/** Accept-Encoding values repeat (one per client kind), so the negotiation is remembered per header value. */
const gzipByHeader = new Map<string, boolean>();

/** True when the client takes gzip (q > 0), per Express's Accept-Encoding negotiation. */
export function acceptsGzip(req: Request): boolean {
  const header = req.headers['accept-encoding'];
  if (header === undefined || header === '') return false;
  let yes = gzipByHeader.get(header);
  if (yes === undefined) {
    yes = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (gzipByHeader.size >= 256) gzipByHeader.clear();
    if (header.length <= 256) gzipByHeader.set(header, yes);
  }
  return yes;
}

export interface RepresentationHeaders {
  cacheControl: string;
  /** Default `Accept, Accept-Encoding`. */
  vary?: string;
}

/**
 * Answers with a representation: 304 when If-None-Match names either encoding's ETag, else 200 with the gzip or
 * the identity bytes. Headers are set directly: this is the hottest path of both registries. Node sends no body
 * for HEAD.
 */
export async function sendRepresentation(req: Request, res: Response, rep: Representation, headers: RepresentationHeaders): Promise<void> {
  res.setHeader('Vary', headers.vary ?? 'Accept, Accept-Encoding');
  res.setHeader('Cache-Control', headers.cacheControl);
  if (rep.lastModified !== undefined) res.setHeader('Last-Modified', rep.lastModified);
  const useGzip = rep.body.length >= MIN_GZIP_BYTES && acceptsGzip(req);
  if (ifNoneMatch(req, rep.etag, gzipEtag(rep.etag.slice(1, -1)))) {
    res.setHeader('ETag', useGzip ? gzipEtag(rep.etag.slice(1, -1)) : rep.etag);
    res.statusCode = 304;
    res.end();
    return;
  }
  const chosen = useGzip ? await rep.gzipped() : rep;
  res.setHeader('ETag', chosen.etag);
  if (useGzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Type', rep.contentType);
  res.setHeader('Content-Length', chosen.body.length);
  res.statusCode = 200;
  res.end(chosen.body);
}
