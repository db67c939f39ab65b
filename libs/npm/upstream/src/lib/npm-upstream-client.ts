import type { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import { conditionalGet, discardBody, readBuffer, readJson, type ConditionalGetResult, type UpstreamClient } from '@registry/shared-upstream-http';
import { upstreamPathSegment } from '@registry/npm-protocol';

/** A conditional document fetch: the bytes (the service parses them), or why there are none. */
export type NpmUpstreamPackument = ConditionalGetResult;

/** Keys and attestations documents are kilobytes (a Sigstore bundle is ~10 KB). */
const MAX_SMALL_DOCUMENT_BYTES = 4 * 1024 * 1024;

export interface NpmUpstreamClientOptions {
  /** Base URL of the upstream registry (configuration, never hard-coded), without a trailing slash. */
  baseUrl: string;
  http: UpstreamClient;
  /** Largest packument accepted (huge documents exist, protocols §8.5). */
  maxPackumentBytes: number;
}

/**
 * The upstream npm registry. Every request goes through the shared allow-listed client, so tarball URLs
 * (and redirects) to hosts other than the configured upstream are refused before any I/O (SSRF).
 */
export function createNpmUpstreamClient(opts: NpmUpstreamClientOptions) {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;

  return {
    origin,

    /** Full document (`application/json`); the abbreviated form is derived locally. */
    fetchPackument: (name: string, etag: string | undefined): Promise<NpmUpstreamPackument> =>
      conditionalGet(opts.http, `${base}/${upstreamPathSegment(name)}`, { accept: 'application/json', etag, maxBytes: opts.maxPackumentBytes }),

    /** The registry keys document, `/-/npm/v1/keys` (protocols §14); npm reads 404 and 400 as "no keys". */
    fetchKeys: (etag: string | undefined): Promise<NpmUpstreamPackument> =>
      conditionalGet(opts.http, `${base}/-/npm/v1/keys`, { accept: 'application/json', etag, maxBytes: MAX_SMALL_DOCUMENT_BYTES, notFound: [400, 404, 410] }),

    /** A version's attestations document at the URL its manifest gave (protocols §15); only the upstream origin is reachable. */
    fetchAttestations: (url: string, etag: string | undefined): Promise<NpmUpstreamPackument> =>
      conditionalGet(opts.http, url, { accept: 'application/json', etag, maxBytes: MAX_SMALL_DOCUMENT_BYTES }),

    async openTarball(url: string, signal?: AbortSignal): Promise<{ body: Readable; size: number | undefined }> {
      const res = await opts.http.request(url, signal ? { signal } : {});
      if (res.status === 404) {
        await discardBody(res);
        throw new AppError('not_found', `upstream has no tarball at ${res.url}`);
      }
      if (res.status !== 200) {
        await discardBody(res);
        throw new AppError('upstream_unavailable', `upstream answered ${res.status} for ${res.url}`);
      }
      const length = Number(res.headers['content-length']);
      return { body: res.body, size: Number.isFinite(length) && length >= 0 ? length : undefined };
    },

    /** Upstream search JSON, or undefined when the upstream has no search endpoint (404); other failures throw. */
    async search(params: URLSearchParams, signal?: AbortSignal): Promise<unknown> {
      const res = await opts.http.request(`${base}/-/v1/search?${params.toString()}`, {
        headers: { accept: 'application/json' },
        ...(signal ? { signal } : {}),
      });
      if (res.status !== 200) {
        await discardBody(res);
        if (res.status === 404 || res.status === 405) return undefined;
        throw new AppError('upstream_unavailable', `upstream search answered ${res.status}`);
      }
      return readJson(res, 16 * 1024 * 1024);
    },

    async forwardAudit(path: string, body: unknown): Promise<{ status: number; body: Buffer; contentType: string; allow?: string }> {
      const res = await opts.http.request(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      const allow = res.status === 405 ? res.headers['allow'] : undefined;
      return {
        status: res.status, body: await readBuffer(res, 64 * 1024 * 1024), contentType: res.headers['content-type'] ?? 'application/json', ...(allow ? { allow } : {}),
      };
    },
  };
}

export type NpmUpstreamClient = ReturnType<typeof createNpmUpstreamClient>;
