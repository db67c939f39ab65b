import { Lru } from '@registry/shared-util';
import type { BlobMeta, BlobStore } from '@registry/storage-blob-store';
import type { DownloadRedirect, ReadThroughResult } from './types';

/** Stored blobs whose metadata this process has seen; the bytes under a key never change (see MemoryTier). */
const KNOWN_ENTRIES = 10_000;

/**
 * The hit path with download redirects on: a stored blob is answered with a presigned URL of its object, so the
 * bytes flow from the object store and the proxy only decides. The probe is a HEAD (size and digests for the
 * event and the staleness check), made once per key and process: later hits only sign, which costs no round trip.
 */
export class RedirectHits {
  private readonly known = new Lru<string, BlobMeta>({ maxEntries: KNOWN_ENTRIES });
  private readonly downloadUrl: NonNullable<BlobStore['downloadUrl']>;

  constructor(private readonly store: BlobStore, private readonly redirect: DownloadRedirect) {
    const { downloadUrl } = store;
    if (downloadUrl === undefined) throw new Error('download redirects need a store that hands out download URLs (STORAGE_DRIVER=s3)');
    this.downloadUrl = downloadUrl.bind(store);
  }

  /** The stored blob as a redirect, or undefined when it is not stored. */
  async probe(key: string): Promise<ReadThroughResult | undefined> {
    let meta = this.known.get(key);
    if (meta === undefined) {
      meta = await this.store.head(key);
      if (meta === undefined) return undefined;
      this.known.set(key, meta);
    }
    const location = await this.downloadUrl(key, { expiresInMs: this.redirect.expiresInMs });
    return { source: 'cache', body: undefined, size: meta.size, meta, location };
  }

  /** A stored copy found stale (another digest upstream): the next hit looks at the store again. */
  forget(key: string): void {
    this.known.delete(key);
  }
}
