import type { Readable } from 'node:stream';
import type { BlobMeta, ByteRange, DigestAlgorithm } from '@registry/storage-blob-store';

/** What the caller's upstream fetch returns once the upstream answered 200. */
export interface UpstreamBody {
  body: Readable;
  /** Content-Length, when the upstream sent one; a body of another length is never cached. */
  size?: number;
  contentType?: string;
}

export interface FetchThroughOptions {
  /**
   * Starts the upstream download. Called at most once per key at a time, however many callers miss together.
   * `signal` belongs to the shared download (not to any one client). Throw an AppError (e.g. not_found,
   * upstream_unavailable) for a non-200 answer: every caller waiting on this download gets it.
   */
  fetchUpstream: (signal: AbortSignal) => Promise<UpstreamBody>;
  /** Checked before the body is committed to the store; a mismatch is never cached. */
  expectedDigest?: { algorithm: DigestAlgorithm; hex: string };
  expectedSize?: number;
  /** Stored content type when the upstream sends none. */
  contentType?: string;
  /** Served from the cache only; on a miss the whole body is returned and `range` of the result is undefined. */
  range?: ByteRange;
  /** The client's connection: aborting it ends this caller's stream only, never the shared download. */
  signal?: AbortSignal;
}

export interface ReadThroughResult {
  source: 'cache' | 'upstream';
  /** Present for cache hits (for a miss the blob is not committed yet). */
  meta?: BlobMeta;
  /**
   * The bytes. On a miss it streams while the download runs and ends only after the digest was verified and
   * the blob committed; on any failure it is destroyed with an AppError, never ended short.
   */
  body: Readable;
  range?: ByteRange;
  /** Total size of the blob when known (meta.size, else expectedSize or the upstream Content-Length). */
  size: number | undefined;
  contentType?: string;
}

export interface ReadThrough {
  fetchThrough(key: string, opts: FetchThroughOptions): Promise<ReadThroughResult>;
  /** Downloads in progress (for metrics and tests). */
  inFlight(): number;
}
