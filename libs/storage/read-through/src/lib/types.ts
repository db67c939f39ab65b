import type { Readable } from 'node:stream';
import type { BlobMeta, ByteRange, DigestAlgorithm } from '@registry/storage-blob-store';

/** What the caller's upstream fetch returns once the upstream answered 200. */
export interface UpstreamBody {
  body: Readable;
  /** Content-Length, when the upstream sent one; a body of another length is never cached. */
  size?: number | undefined;
  contentType?: string;
}

/** How to fill the cache on a miss. Without it a blob is stored-only (a private upload): a miss is a miss. */
export interface UpstreamFill {
  /**
   * Starts the upstream download. Called at most once per key at a time, however many callers miss together.
   * `signal` belongs to the shared download (not to any one client). Throw an AppError (not_found,
   * upstream_unavailable...) for a non-200 answer: every caller waiting on this download gets it.
   */
  fetch: (signal: AbortSignal) => Promise<UpstreamBody>;
  /** Checked before the body is committed; a mismatch is never cached. A stored copy with another digest is refetched. */
  expectedDigest?: { algorithm: DigestAlgorithm; hex: string };
  expectedSize?: number | undefined;
  /** Stored content type when the upstream sends none. */
  contentType?: string;
}

export interface OpenOptions {
  upstream?: UpstreamFill;
  /** Maps the stored size to the byte range to serve (HTTP Range); honoured on hits only, a miss is served whole. */
  range?: (size: number) => ByteRange | undefined;
  /** HEAD: report what is there without reading it, and never download on a miss (protocols §8.12). */
  headOnly?: boolean;
  /** The client's connection: aborting it ends this caller's stream only, never the shared download. */
  signal?: AbortSignal;
}

/** How a caller wants a blob read: everything but the upstream fill (which the service adds). */
export type ReadOptions = Omit<OpenOptions, 'upstream'>;

/** What a service hands its route for a blob: the read-through's answer (plus its own facts). */
export type BlobAnswer = Pick<ReadThroughResult, 'body' | 'size' | 'range' | 'source' | 'location'>;

/** STORAGE_DOWNLOAD_REDIRECT=presigned: whole-file reads of stored blobs answer with a URL of the object instead. */
export interface DownloadRedirect {
  /** How long each URL is valid (STORAGE_DOWNLOAD_REDIRECT_TTL_MS). */
  expiresInMs: number;
}

export interface ReadThroughResult {
  source: 'cache' | 'upstream';
  /**
   * The bytes: a Buffer from the memory tier, a stream from the store, or (on a miss) a stream that runs while
   * the download does and ends only after the digest was verified and the blob committed; on any failure it is
   * destroyed with an AppError, never ended short. Undefined for `headOnly` and for a redirect (`location`).
   */
  body: Readable | Buffer | undefined;
  /**
   * Download redirects on: the stored blob's URL (presigned, short-lived), which the client is sent to instead
   * of the bytes. Set on whole-file hits only; a miss, a HEAD and a range are answered by the proxy.
   */
  location?: string;
  /** Total size of the blob when known (stored size, else expectedSize or the upstream Content-Length). */
  size: number | undefined;
  range?: ByteRange;
  /** Present for hits. */
  meta?: BlobMeta;
}

export interface ReadThrough {
  /** The blob under `key`: from memory, the store, or the upstream; undefined when stored-only and missing. */
  open(key: string, opts?: OpenOptions): Promise<ReadThroughResult | undefined>;
  /** Downloads in progress (for metrics and tests). */
  inFlight(): number;
}
