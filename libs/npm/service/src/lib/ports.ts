import type { Readable } from 'node:stream';
import type { BulkAdvisoryRequest, BulkAdvisoryResponse } from '@registry/npm-protocol';
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
  /** Conditional GET of the registry keys document `/-/npm/v1/keys` (protocols §14); 400 and 404 are `not_found`. */
  fetchKeys(etag: string | undefined): Promise<UpstreamFetch>;
  /** Conditional GET of a version's attestations document at the URL its manifest gave (protocols §15). */
  fetchAttestations(url: string, etag: string | undefined): Promise<UpstreamFetch>;
  /** Streams a tarball; AppError('not_found') on 404 and 'upstream_unavailable' on other failures. */
  openTarball(url: string, signal?: AbortSignal): Promise<{ body: Readable; size: number | undefined }>;
  /** Upstream search results as JSON, or undefined when the upstream has no search. */
  search(params: URLSearchParams, signal?: AbortSignal): Promise<unknown>;
  /** Forwards an audit POST (`/-/npm/v1/security/...`) and returns the upstream answer as is. */
  /** `allow`: the upstream's Allow header on a 405, passed on with it (RFC 9110 requires it there). */
  forwardAudit(path: string, body: unknown): Promise<{ status: number; body: Buffer; contentType: string; allow?: string }>;
}

/**
 * Advisories this registry knows itself (an advisory feed such as an OSV index), asked for the packages an
 * `npm audit` must not reveal to the upstream: private names, and names the upstream is not known to serve
 * (protocols §5.2). Optional: without it those packages get no advisories. The firewall implements it.
 */
export interface PrivateAdvisories {
  bulk(request: BulkAdvisoryRequest): Promise<BulkAdvisoryResponse>;
}
