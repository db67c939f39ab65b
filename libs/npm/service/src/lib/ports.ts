import type { Readable } from 'node:stream';
import type { ExpectedDigest } from '@registry/npm-protocol';

/** Result of a conditional packument fetch from the upstream registry. */
export type UpstreamPackumentResult =
  | { kind: 'ok'; body: Buffer; etag: string | undefined }
  | { kind: 'not-modified' }
  | { kind: 'not-found' };

/** What the service needs from the upstream registry (implemented in npm-upstream over the allow-listed client). */
export interface NpmUpstream {
  /** Origin of the configured upstream (`scheme://host:port`); tarball URLs elsewhere are refused (SSRF). */
  readonly origin: string;
  fetchPackument(name: string, opts: { etag?: string; signal?: AbortSignal }): Promise<UpstreamPackumentResult>;
  /** Streams a tarball; throws AppError('not_found') on 404 and 'upstream_unavailable' on other failures. */
  openTarball(url: string, signal?: AbortSignal): Promise<{ body: Readable; size: number | undefined }>;
  /** Upstream search results as JSON, or undefined when the upstream has no search. */
  search(params: URLSearchParams, signal?: AbortSignal): Promise<unknown>;
  /** Forwards an audit POST (`/-/npm/v1/security/...`) and returns the upstream answer as is. */
  forwardAudit(path: string, body: unknown): Promise<{ status: number; body: Buffer; contentType: string }>;
}

/**
 * Coalescing, verify-before-commit cache fill (storage-read-through): one upstream fetch per key however
 * many clients ask; the bytes become visible under `key` only when they match `expectedDigest`.
 */
export interface TarballReadThrough {
  fetchThrough(
    key: string,
    opts: { fetchUpstream: (signal: AbortSignal) => Promise<{ body: Readable; size?: number | undefined }>; expectedDigest: ExpectedDigest; signal?: AbortSignal },
  ): Promise<{ body: Readable; size: number | undefined }>;
}
