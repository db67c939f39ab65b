import type { Readable } from 'node:stream';
import type { UpstreamFetch } from '@registry/storage-read-through';

/**
 * What the PyPI service needs from the upstream index (the service owns this port; pypi-upstream implements it
 * over the allow-listed HTTP client). Pages come back as bytes with their content type: the service parses them.
 */
export interface PypiUpstream {
  /** Conditional GET of `<index>/<project>/`, asking for PEP 691 JSON with HTML accepted (protocols §1.3). */
  fetchProjectPage(project: string, etag: string | undefined): Promise<UpstreamFetch>;
  /** Conditional GET of the root index `<index>/` (every project name; large, so cached long). */
  fetchProjectList(etag: string | undefined): Promise<UpstreamFetch>;
  /** Conditional GET of a file's provenance at the URL its page gave (PEP 740 Integrity API, protocols §11). */
  fetchProvenance(url: string, etag: string | undefined): Promise<UpstreamFetch>;
  /** True only for URLs on the configured index or files origin: nothing else found in a page is followed. */
  isAllowedFileUrl(url: string): boolean;
  /** Streams a file (or its `.metadata`). 404: AppError('not_found'); other failures: 'upstream_unavailable'. */
  openFile(url: string, signal?: AbortSignal): Promise<{ body: Readable; size: number | undefined }>;
}
