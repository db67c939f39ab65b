import { tmpdir } from 'node:os';
import type { Logger } from '@registry/shared-logger';
import { AppError } from '@registry/shared-errors';
import { Lru, SingleFlight } from '@registry/shared-util';
import { assertValidKey, STORE_UNAVAILABLE, type BlobMeta, type BlobStore, type ByteRange, type StoredBlob } from '@registry/storage-blob-store';
import { Flight, SpoolReader } from './flight';
import { RedirectHits } from './redirect-hits';
import type { DownloadRedirect, OpenOptions, ReadThrough, ReadThroughResult, UpstreamFill } from './types';

export interface MemoryTierLimits {
  /** Budget for all blobs held (bytes); 0 turns the tier off. */
  maxBytes: number;
  /** Largest blob held; larger ones stream from the store on every request. */
  maxItemBytes: number;
}

/**
 * The memory tier both registries give their hot blobs (npm tarballs, PyPI files): `budget` bytes, each blob at
 * most an eighth of it and 4 MiB, so one big file never evicts the many small ones an install reads.
 */
export function memoryTierOf(budget: number): MemoryTierLimits {
  return { maxBytes: budget, maxItemBytes: Math.min(4 * 1024 * 1024, Math.floor(budget / 8)) };
}

type MemoryFill = { kind: 'bytes'; bytes: Buffer; meta: BlobMeta } | { kind: 'large' } | { kind: 'missing' };

/**
 * Hot blobs in memory, bounded by bytes. Safe without invalidation because the bytes under a cache key never
 * change: private blobs are content-addressed and upstream ones verified against the metadata's digest (a
 * changed digest is checked by the caller against `meta.digests`). Concurrent misses of one key share one store
 * read, so a burst costs one copy; the read is the store probe of the request, never an extra one.
 */
class MemoryTier {
  private readonly held: Lru<string, { bytes: Buffer; meta: BlobMeta }>;
  /** Keys seen to be larger than maxItemBytes, so they are streamed without a fill attempt. */
  private readonly large = new Lru<string, true>({ maxEntries: 10_000 });
  private readonly fills = new SingleFlight<MemoryFill>();

  constructor(private readonly store: BlobStore, private readonly limits: MemoryTierLimits) {
    this.held = new Lru({ maxBytes: limits.maxBytes });
  }

  get enabled(): boolean {
    return this.limits.maxBytes > 0 && this.limits.maxItemBytes > 0;
  }

  peek(key: string): MemoryFill | undefined {
    const held = this.held.get(key);
    return held === undefined ? undefined : { kind: 'bytes', ...held };
  }

  isLarge(key: string): boolean {
    return this.large.get(key) !== undefined;
  }

  /** Reads the blob into memory (once for concurrent callers); 'large' when it must be streamed instead. */
  fill(key: string): Promise<MemoryFill> {
    return this.fills.run(key, async () => {
      const stored = await this.store.get(key);
      if (stored === undefined) return { kind: 'missing' };
      if (stored.meta.size > this.limits.maxItemBytes) {
        stored.body.destroy();
        this.large.set(key, true);
        return { kind: 'large' };
      }
      const bytes = await readAll(stored);
      this.held.set(key, { bytes, meta: stored.meta }, bytes.length);
      return { kind: 'bytes', bytes, meta: stored.meta };
    });
  }

  forget(key: string): void {
    this.held.delete(key);
  }
}

async function readAll(stored: StoredBlob): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stored.body) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  if (bytes.length !== stored.meta.size) {
    throw new AppError('unavailable', `short read of ${stored.meta.key}: ${bytes.length} of ${stored.meta.size} bytes`, { publicMessage: STORE_UNAVAILABLE });
  }
  return bytes;
}

export interface ReadThroughOptions {
  store: BlobStore;
  logger: Logger;
  /** Where downloads in progress are spooled (unlinked files, so nothing outlives the process); default os.tmpdir(). */
  spoolDir?: string;
  /** Hot small blobs served from memory; off when omitted. */
  memory?: MemoryTierLimits;
  /** Whole-file hits answered with a URL of the stored object (the store must offer `downloadUrl`); off when omitted. */
  redirect?: DownloadRedirect;
}

/**
 * The one place that decides whether a blob is cached. A request probes the store once (or the memory tier,
 * whose fill is that probe); a hit streams (or hands out bytes, optionally a byte range); a miss with an upstream
 * joins or starts the one download of that key in this process: the download is spooled to a local file and
 * every caller, whether it arrived first or joined while the download runs, streams from that spool as the
 * bytes arrive. A download that fails, is truncated, or does not match its digest is never committed, every
 * caller's stream is destroyed with the error, and the next request starts a fresh download. With `redirect`,
 * a whole-file hit hands out the object's URL instead of its bytes (HEAD, ranges and misses are as above).
 */
export function createReadThrough(opts: ReadThroughOptions): ReadThrough {
  const { store, logger } = opts;
  const spoolDir = opts.spoolDir ?? tmpdir();
  const memory = new MemoryTier(store, opts.memory ?? { maxBytes: 0, maxItemBytes: 0 });
  const flights = new Map<string, { flight: Flight; started: Promise<void> }>();
  /** Keys whose download committed lately: a request whose probe raced with that commit looks once more. */
  const justCommitted = new Lru<string, true>({ maxEntries: 1024 });
  const redirects = opts.redirect === undefined ? undefined : new RedirectHits(store, opts.redirect);

  const fromStore = async (key: string, o: OpenOptions): Promise<ReadThroughResult | undefined> => {
    if (o.headOnly) {
      const held = memory.enabled ? memory.peek(key) : undefined;
      if (held?.kind === 'bytes') return { source: 'cache', body: undefined, size: held.bytes.length, meta: held.meta };
      const meta = await store.head(key);
      return meta === undefined ? undefined : { source: 'cache', body: undefined, size: meta.size, meta };
    }
    if (memory.enabled && !memory.isLarge(key)) {
      const held = memory.peek(key) ?? (await memory.fill(key));
      if (held.kind === 'missing') return undefined;
      if (held.kind === 'bytes') {
        const range = o.range?.(held.bytes.length);
        const body = range ? held.bytes.subarray(range.start, range.end + 1) : held.bytes;
        return { source: 'cache', body, size: held.bytes.length, meta: held.meta, ...(range ? { range } : {}) };
      }
    }
    let range: ByteRange | undefined;
    if (o.range !== undefined) {
      const meta = await store.head(key);
      if (meta === undefined) return undefined;
      range = o.range(meta.size);
    }
    const blob = await store.get(key, { ...(range ? { range } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    if (blob === undefined) return undefined;
    return { source: 'cache', body: blob.body, size: blob.meta.size, meta: blob.meta, ...(blob.range ? { range: blob.range } : {}) };
  };

  // A presigned URL signs a GET only, so HEAD stays here; ranges too (small reads, and a client need not carry its
  // Range header over a redirect).
  const probe = (key: string, o: OpenOptions): Promise<ReadThroughResult | undefined> =>
    (redirects !== undefined && !o.headOnly && o.range === undefined ? redirects.probe(key) : fromStore(key, o));

  /** A stored copy whose recorded digest differs from what the upstream now announces is stale: refetch it. */
  const isCurrent = (key: string, hit: ReadThroughResult, fill: UpstreamFill | undefined): boolean => {
    const expected = fill?.expectedDigest;
    const recorded = expected === undefined ? undefined : hit.meta?.digests[expected.algorithm];
    if (expected === undefined || recorded === undefined || recorded === expected.hex.toLowerCase()) return true;
    logger.warn({ key, algorithm: expected.algorithm, recorded, expected: expected.hex }, 'cached blob digest differs from upstream; refetching');
    if (hit.body !== undefined && !Buffer.isBuffer(hit.body)) hit.body.destroy();
    memory.forget(key);
    redirects?.forget(key);
    return false;
  };

  const join = (key: string, fill: UpstreamFill): { flight: Flight; started: Promise<void> } => {
    const existing = flights.get(key);
    if (existing !== undefined) return existing;
    const flight = new Flight(key, store, fill);
    const entry = {
      flight,
      started: flight.start(spoolDir, () => {
        if (flights.get(key) === entry) flights.delete(key);
        if (flight.error !== undefined) logger.warn({ key, err: flight.error }, 'read-through download failed; not cached');
        else justCommitted.set(key, true);
      }),
    };
    entry.started.catch(() => undefined); // every joiner awaits it; this only keeps an unobserved failure quiet
    flights.set(key, entry);
    return entry;
  };

  const download = async (key: string, fill: UpstreamFill, signal: AbortSignal | undefined): Promise<ReadThroughResult> => {
    const { flight, started } = join(key, fill);
    flight.retain(); // synchronously, so the spool stays open until this caller's reader is done with it
    try {
      await started;
    } catch (err) {
      flight.release();
      throw err;
    }
    const body = new SpoolReader(flight);
    if (signal !== undefined) {
      const onAbort = (): void => { body.destroy(); };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      body.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    return { source: 'upstream', body, size: flight.upstream.size };
  };

  return {
    async open(key, o = {}) {
      assertValidKey(key);
      let hit = await probe(key, o);
      if (hit === undefined && o.upstream !== undefined && !flights.has(key) && justCommitted.get(key)) hit = await probe(key, o);
      if (hit !== undefined && isCurrent(key, hit, o.upstream)) return hit;
      if (o.upstream === undefined) return undefined;
      // HEAD on a miss answers from the metadata's size: a whole artifact is never downloaded for a HEAD.
      if (o.headOnly) return { source: 'upstream', body: undefined, size: o.upstream.expectedSize };
      return download(key, o.upstream, o.signal);
    },
    inFlight: () => flights.size,
  };
}
