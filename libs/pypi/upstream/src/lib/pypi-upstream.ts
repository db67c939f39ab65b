import type { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import { conditionalGet, discardBody, type ConditionalGetResult, type UpstreamClient } from '@registry/shared-upstream-http';

/** A conditional page fetch: the bytes with their type and final URL (the service parses them), or why there are none. */
export type UpstreamPageResult = ConditionalGetResult;

export interface PypiUpstreamOptions {
  client: UpstreamClient;
  /** Simple index base, without trailing slash (PYPI_UPSTREAM_URL). */
  indexUrl: string;
  /** Files host (PYPI_UPSTREAM_FILES_URL); default the index's origin. */
  filesUrl?: string;
  /** Largest project page accepted, in bytes. */
  maxPageBytes: number;
}

/** A provenance object holds a few attestations of ~10 KB each (protocols §11). */
const MAX_PROVENANCE_BYTES = 4 * 1024 * 1024;
const PAGE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

/**
 * The upstream PyPI-compatible index (protocols §1.12). Every request goes through the shared allow-listed client,
 * so file URLs (and redirects) to hosts other than the configured index and files origins are refused before any I/O.
 */
export function createPypiUpstream(opts: PypiUpstreamOptions) {
  const filesOrigin = new URL(opts.filesUrl ?? opts.indexUrl).origin;
  /**
   * Files are addressed by what they are (project, filename, sha256), not by where a page once put them: a URL
   * on a host that is not configured (a page cached before PYPI_UPSTREAM_FILES_URL changed, or a hostile page)
   * is fetched from the configured files host at the same path, and the digest check decides.
   */
  const onConfiguredHost = (url: string): string => {
    if (opts.client.isAllowed(url)) return url;
    const parsed = new URL(url);
    return `${filesOrigin}${parsed.pathname}${parsed.search}`;
  };
  return {
    /** `GET <index>/<project>/` asking for PEP 691 JSON (HTML accepted), revalidating with the stored ETag. */
    fetchProjectPage: (project: string, etag: string | undefined): Promise<UpstreamPageResult> =>
      conditionalGet(opts.client, `${opts.indexUrl}/${encodeURIComponent(project)}/`, { accept: PAGE_ACCEPT, etag, maxBytes: opts.maxPageBytes }),

    /** `GET <index>/`, the root index with every project name (tens of MB upstream: the cap is the page cap times 4). */
    fetchProjectList: (etag: string | undefined): Promise<UpstreamPageResult> =>
      conditionalGet(opts.client, `${opts.indexUrl}/`, { accept: PAGE_ACCEPT, etag, maxBytes: opts.maxPageBytes * 4, what: 'the upstream root index' }),

    /**
     * `GET` of a file's provenance at the URL its page gave (PEP 740 Integrity API, protocols §11), JSON only.
     * 404 is "no provenance"; so is 403, which the index answers when it has attestations switched off.
     */
    fetchProvenance: (url: string, etag: string | undefined): Promise<UpstreamPageResult> =>
      conditionalGet(opts.client, url, {
        accept: 'application/vnd.pypi.integrity.v1+json, application/json;q=0.9', etag, maxBytes: MAX_PROVENANCE_BYTES,
        notFound: [403, 404, 410],
      }),

    isAllowedFileUrl: (url: string): boolean => opts.client.isAllowed(url),

    /** Streams a file (or its `.metadata`); files are immutable and addressed by digest. */
    async openFile(url: string, signal?: AbortSignal): Promise<{ body: Readable; size: number | undefined }> {
      const res = await opts.client.request(onConfiguredHost(url), { headers: { 'accept-encoding': 'identity' }, ...(signal ? { signal } : {}) });
      if (res.status === 200) {
        const length = Number(res.headers['content-length']);
        return { body: res.body, size: Number.isFinite(length) && length >= 0 ? length : undefined };
      }
      await discardBody(res);
      if (res.status === 404 || res.status === 410) throw new AppError('not_found', `upstream has no file at ${res.url}`);
      throw new AppError('upstream_unavailable', `upstream answered ${res.status} for ${res.url}`);
    },
  };
}

export type PypiUpstreamClient = ReturnType<typeof createPypiUpstream>;
