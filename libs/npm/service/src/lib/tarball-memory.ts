import { AppError } from '@registry/shared-errors';
import type { BlobStore, StoredBlob } from '@registry/storage-blob-store';
import { Lru, SingleFlight } from '@registry/shared-util';

export type MemoryLookup = { kind: 'bytes'; bytes: Buffer } | { kind: 'large' } | { kind: 'missing' };

export interface TarballMemoryLimits {
  /** Budget for all tarballs held (bytes). */
  maxBytes: number;
  /** Largest tarball held; larger ones are streamed from the store on every request. */
  maxItemBytes: number;
}

/**
 * Hot tarballs in memory, bounded by bytes. Safe without invalidation: local tarball keys are
 * content-addressed and cached upstream tarballs are verified against the packument's digest, so the bytes
 * under a key never change; which filenames may be served is still decided per request by the packument.
 * Concurrent misses of one key share one store read (single-flight), so a burst costs one copy.
 */
export class TarballMemory {
  private readonly held: Lru<string, Buffer>;
  /** Keys seen to be larger than maxItemBytes (so they are not read twice per request). */
  private readonly large = new Lru<string, true>({ maxEntries: 10_000 });
  private readonly fills = new SingleFlight<MemoryLookup>();

  constructor(private readonly store: BlobStore, private readonly limits: TarballMemoryLimits) {
    this.held = new Lru({ maxBytes: limits.maxBytes });
  }

  async lookup(key: string): Promise<MemoryLookup> {
    const bytes = this.held.get(key);
    if (bytes) return { kind: 'bytes', bytes };
    if (this.limits.maxItemBytes <= 0 || this.large.get(key)) return { kind: 'large' };
    return this.fills.run(key, () => this.fill(key));
  }

  private async fill(key: string): Promise<MemoryLookup> {
    const stored = await this.store.get(key);
    if (!stored) return { kind: 'missing' };
    if (stored.meta.size > this.limits.maxItemBytes) {
      stored.body.destroy();
      this.large.set(key, true);
      return { kind: 'large' };
    }
    const bytes = await readAll(stored);
    this.held.set(key, bytes, bytes.length);
    return { kind: 'bytes', bytes };
  }
}

async function readAll(stored: StoredBlob): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stored.body) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  if (bytes.length !== stored.meta.size) {
    throw new AppError('unavailable', `short read of ${stored.meta.key}: ${bytes.length} of ${stored.meta.size} bytes`);
  }
  return bytes;
}
