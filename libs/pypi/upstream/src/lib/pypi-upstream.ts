import type { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import { discardBody, readText, type UpstreamClient } from '@registry/shared-upstream-http';
import { parseUpstreamPage, SimplePageParseError, type ProjectPage } from '@registry/pypi-protocol';

export type UpstreamPageResult =
  | { kind: 'page'; page: ProjectPage; etag: string | null }
  | { kind: 'not_modified' }
  | { kind: 'not_found' };

export interface UpstreamFile {
  body: Readable;
  /** Content-Length when the upstream sent one. */
  size: number | null;
}

/** The upstream PyPI-compatible index as the service sees it (protocols §1.12). */
export interface PypiUpstream {
  /** `GET <index>/<project>/` asking for PEP 691 JSON (HTML accepted), revalidating with the stored ETag. */
  fetchProjectPage(project: string, opts?: { etag?: string | null; signal?: AbortSignal }): Promise<UpstreamPageResult>;
  /** True only for URLs on the configured index or files origin: nothing else found in a page is followed. */
  isAllowedFileUrl(url: string): boolean;
  /** Streams a file (or its `.metadata`). 404: AppError('not_found'); other failures: 'upstream_unavailable'. */
  openFile(url: string, opts?: { signal?: AbortSignal }): Promise<UpstreamFile>;
}

export interface PypiUpstreamOptions {
  client: UpstreamClient;
  /** Simple index base, without trailing slash (PYPI_UPSTREAM_URL). */
  indexUrl: string;
  /** Largest project page we accept, in bytes. */
  maxPageBytes?: number;
}

const PAGE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

export function createPypiUpstream(opts: PypiUpstreamOptions): PypiUpstream {
  const maxPageBytes = opts.maxPageBytes ?? 64 * 1024 * 1024;
  return {
    async fetchProjectPage(project, fo = {}) {
      const url = `${opts.indexUrl}/${encodeURIComponent(project)}/`;
      const res = await opts.client.request(url, {
        headers: { accept: PAGE_ACCEPT },
        ...(fo.etag ? { ifNoneMatch: fo.etag } : {}),
        ...(fo.signal ? { signal: fo.signal } : {}),
      });
      if (res.status === 304) {
        await discardBody(res);
        return { kind: 'not_modified' };
      }
      if (res.status === 404 || res.status === 410) {
        await discardBody(res);
        return { kind: 'not_found' };
      }
      if (res.status !== 200) {
        await discardBody(res);
        throw new AppError('upstream_unavailable', `upstream answered ${res.status} for ${res.url}`);
      }
      const text = await readText(res, maxPageBytes);
      try {
        const page = parseUpstreamPage(text, res.headers['content-type'] ?? 'text/html', res.url, project);
        return { kind: 'page', page, etag: res.headers['etag'] ?? null };
      } catch (err) {
        if (err instanceof SimplePageParseError) throw new AppError('upstream_unavailable', `${err.message} (${res.url})`, { cause: err });
        throw err;
      }
    },

    isAllowedFileUrl: (url) => opts.client.isAllowed(url),

    async openFile(url, fo = {}) {
      // Files are immutable and addressed by digest; redirects stay inside the allow-list (upstream-http).
      const res = await opts.client.request(url, { headers: { 'accept-encoding': 'identity' }, ...(fo.signal ? { signal: fo.signal } : {}) });
      if (res.status === 200) {
        const length = Number(res.headers['content-length']);
        return { body: res.body, size: Number.isFinite(length) ? length : null };
      }
      await discardBody(res);
      if (res.status === 404 || res.status === 410) throw new AppError('not_found', `upstream has no file at ${res.url}`);
      throw new AppError('upstream_unavailable', `upstream answered ${res.status} for ${res.url}`);
    },
  };
}
