import type { Readable, Writable } from 'node:stream';

/** Digest algorithms the registries publish: PyPI sha256 (and blake2b_256, checked by callers), npm sha512 integrity / sha1 shasum. */
export type DigestAlgorithm = 'sha256' | 'sha512' | 'sha1';

export interface BlobMeta {
  key: string;
  size: number;
  contentType: string;
  /** Opaque, quoted-free entity tag from the store; changes on every write. */
  etag: string;
  storedAt: Date;
  /** Digests recorded at commit time (hex), when the writer computed them. */
  digests: Partial<Record<DigestAlgorithm, string>>;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredBlob {
  meta: BlobMeta;
  /** The requested bytes (the whole blob, or only `range`). Destroy it if you stop reading. */
  body: Readable;
  range?: ByteRange;
}

export interface BeginOptions {
  contentType?: string;
  /** When set, commit() fails with AppError('integrity_mismatch') unless the written bytes hash to `expected` (hex). */
  expectedDigest?: { algorithm: DigestAlgorithm; hex: string };
  /** Expected byte count; commit() fails with 'integrity_mismatch' on a different size (truncation). */
  expectedSize?: number;
  signal?: AbortSignal;
}

/**
 * A staged write: bytes go to `body`; nothing is visible under the key until commit()
 * resolves. abort() (or any failure) leaves nothing behind. Commit overwrites an existing key.
 */
export interface PendingBlob {
  readonly body: Writable;
  /** Ends `body` if still open, waits for it, verifies size and digest, then makes the blob visible. */
  commit(): Promise<BlobMeta>;
  abort(): Promise<void>;
}

/** A small metadata document (packument, project state, user) read with its etag for compare-and-swap. */
export interface StoredDocument {
  body: Buffer;
  etag: string;
}

export interface PutDocumentOptions {
  contentType?: string;
  /** Only write if the current etag equals this (compare-and-swap); else AppError('precondition_failed'). */
  ifMatch?: string;
  /** Only write if the key does not exist (conditional create); else AppError('precondition_failed'). */
  ifNoneMatch?: '*';
}

/**
 * The object-store port both proxies share. Keys are `/`-separated, without a leading slash.
 * A miss is `undefined`, never an exception; store failures are AppError('unavailable').
 */
export interface BlobStore {
  /** Streams a blob (or a byte range of it). Range beyond the end: AppError('range_not_satisfiable'). */
  get(key: string, opts?: { range?: ByteRange; signal?: AbortSignal }): Promise<StoredBlob | undefined>;
  head(key: string): Promise<BlobMeta | undefined>;
  begin(key: string, opts?: BeginOptions): Promise<PendingBlob>;
  getDocument(key: string): Promise<StoredDocument | undefined>;
  /** Writes a small document atomically; returns its new etag. */
  putDocument(key: string, body: Buffer, opts?: PutDocumentOptions): Promise<{ etag: string }>;
  /** Deletes if present; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under a prefix, in lexicographic order. */
  list(prefix: string): AsyncIterable<string>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /**
   * A URL from which a client GETs the blob straight from the object store, valid for `expiresInMs`
   * (STORAGE_DOWNLOAD_REDIRECT). Only stores that clients can reach offer it (S3: a presigned URL); the
   * address is a bearer credential for that one object, so it is never logged. No store round trip: the
   * caller has already seen the blob.
   */
  downloadUrl?(key: string, opts: { expiresInMs: number }): Promise<string>;
}
