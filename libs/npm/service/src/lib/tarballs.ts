import type { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import type { BlobStore, ByteRange, StoredBlob } from '@registry/storage-blob-store';
import { TarballMemory, type TarballMemoryLimits } from './tarball-memory';
import type { PackageReader } from './package-reader';
import type { NpmUpstream, TarballReadThrough } from './ports';
import { storageKeys } from './storage-keys';

export interface TarballResponse {
  /** A stream, or the bytes themselves when served from memory. */
  body: Readable | Buffer;
  /** Total size of the tarball, when known. */
  size: number | undefined;
  /** Present when a byte range of a cached tarball is served. */
  range?: ByteRange;
  source: 'cache' | 'upstream';
  version: string;
}

export interface TarballServiceOptions {
  store: BlobStore;
  reader: PackageReader;
  upstream: NpmUpstream | undefined;
  readThrough: TarballReadThrough;
  /** Hot tarballs kept in memory (their bytes never change under their key). */
  memory: TarballMemoryLimits;
}

/**
 * Tarballs: local ones from the store; upstream ones from the cache or fetched through (coalesced, verified
 * against `dist.integrity`/`shasum` before anything is committed, §3.5). Only filenames listed in the current
 * packument are served, so versions removed upstream stop being served after a refresh (§8 item 27).
 */
export class TarballService {
  private readonly memory: TarballMemory;

  constructor(private readonly opts: TarballServiceOptions) {
    this.memory = new TarballMemory(opts.store, opts.memory);
  }

  /** `range` maps the cached size to a byte range (HTTP Range); a miss is served whole from the upstream. */
  async open(name: string, filename: string, req: { range?: (size: number) => ByteRange | undefined; signal?: AbortSignal } = {}): Promise<TarballResponse> {
    const { state } = await this.opts.reader.resolve(name);
    const origin = state.tarballs.get(filename);
    if (!origin) throw new AppError('not_found', `tarball ${filename} not found for ${name}`);
    const key = origin.kind === 'local' ? origin.key : storageKeys.cachedTarball(name, filename);
    const inMemory = await this.memory.lookup(key);
    if (inMemory.kind === 'bytes') return fromMemory(inMemory.bytes, req.range?.(inMemory.bytes.length), origin.version);
    const stored = inMemory.kind === 'large' ? await this.openStored(key, req) : undefined;
    if (stored) {
      return { body: stored.body, size: stored.meta.size, ...(stored.range ? { range: stored.range } : {}), source: 'cache', version: origin.version };
    }
    if (origin.kind === 'local') throw new AppError('not_found', `tarball ${filename} of ${name} is missing from storage`);
    const upstream = this.opts.upstream;
    if (!upstream) throw new AppError('not_found', `tarball ${filename} not found for ${name}`);
    if (!origin.digest) throw new AppError('upstream_unavailable', `upstream gives no usable integrity for ${name}@${origin.version}; refusing to cache it`);
    assertSameOrigin(origin.url, upstream.origin, name);
    const fetched = await this.opts.readThrough.fetchThrough(key, {
      fetchUpstream: (signal) => upstream.openTarball(origin.url, signal),
      expectedDigest: origin.digest,
      ...(req.signal ? { signal: req.signal } : {}),
    });
    return { body: fetched.body, size: fetched.size, source: 'upstream', version: origin.version };
  }

  /** A tarball too large for memory: one store read per request (plus a head for a Range request). */
  private async openStored(key: string, req: { range?: (size: number) => ByteRange | undefined; signal?: AbortSignal }): Promise<StoredBlob | undefined> {
    const meta = req.range ? await this.opts.store.head(key) : undefined;
    const range = meta && req.range ? req.range(meta.size) : undefined;
    return this.opts.store.get(key, { ...(range ? { range } : {}), ...(req.signal ? { signal: req.signal } : {}) });
  }
}

function fromMemory(bytes: Buffer, range: ByteRange | undefined, version: string): TarballResponse {
  const body = range ? bytes.subarray(range.start, range.end + 1) : bytes;
  return { body, size: bytes.length, ...(range ? { range } : {}), source: 'cache', version };
}

/** SSRF guard (§8 item 2): an upstream document may not send us to another host. */
function assertSameOrigin(url: string, allowedOrigin: string, name: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('upstream_unavailable', `upstream tarball URL of ${name} is not a URL`);
  }
  if (parsed.origin !== allowedOrigin) {
    throw new AppError('forbidden', `upstream tarball URL of ${name} points at ${parsed.origin}, which is not the configured upstream`);
  }
}
