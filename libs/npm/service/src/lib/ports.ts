import type { Readable } from 'node:stream';
import type { UpstreamFetch } from '@registry/storage-read-through';

/**
 * What the npm service needs from the upstream registry (the service owns this port; npm-upstream implements it
 * over the allow-listed HTTP client). Metadata comes back as bytes: the service parses it.
 */
export interface NpmUpstream {
  /** Origin of the configured upstream (`scheme://host:port`); tarball URLs elsewhere are refused (SSRF). */
  readonly origin: string;
  /** Conditional GET of the full packument (protocols §3.2). */
  fetchPackument(name: string, etag: string | undefined): Promise<UpstreamFetch>;
  /** Streams a tarball; AppError('not_found') on 404 and 'upstream_unavailable' on other failures. */
  openTarball(url: string, signal?: AbortSignal): Promise<{ body: Readable; size: number | undefined }>;
  /** Upstream search results as JSON, or undefined when the upstream has no search. */
  search(params: URLSearchParams, signal?: AbortSignal): Promise<unknown>;
  /** Forwards an audit POST (`/-/npm/v1/security/...`) and returns the upstream answer as is. */
  forwardAudit(path: string, body: unknown): Promise<{ status: number; body: Buffer; contentType: string }>;
}
