import { readJsonDocument, updateDocument, type BlobStore } from '@registry/storage-blob-store';
import { toSearchObject, type SearchObject } from '@registry/npm-protocol';
import { safeRecord, SingleFlight } from '@registry/shared-util';
import type { PrivatePackageRecord } from './private-packages';
import { storageKeys } from './storage-keys';

/** One private package in the index: its search hit (null: every version unpublished) and the record's `_rev` number. */
export interface IndexEntry {
  rev: number;
  hit: SearchObject | null;
}

/**
 * The stored index (`npm/search-index.json`). `complete` is true only when a full scan of the private records
 * went into it; a writer that finds no index creates an incomplete one, which the next search completes.
 */
interface StoredIndex {
  complete: boolean;
  packages: Record<string, IndexEntry>;
}

const revOf = (record: PrivatePackageRecord): number => Number.parseInt(record.packument._rev?.split('-')[0] ?? '0', 10) || 0;

export const indexEntryOf = (record: PrivatePackageRecord): IndexEntry => ({
  rev: revOf(record),
  hit: Object.keys(record.packument.versions).length > 0 ? (toSearchObject(record.packument) ?? null) : null,
});

/** Entries of `incoming` win unless the stored entry came from a later revision of the record (writers race). */
function merged(current: StoredIndex | undefined, incoming: Record<string, IndexEntry>, complete: boolean): StoredIndex {
  const packages = safeRecord(current?.packages ?? {});
  for (const [name, entry] of Object.entries(incoming)) {
    const stored = packages[name];
    if (stored === undefined || stored.rev <= entry.rev) packages[name] = entry;
  }
  return { complete: complete || (current?.complete ?? false), packages };
}

/**
 * Summaries of the private packages for `npm search` (protocols §5.1), kept beside the records: every record
 * write updates its entry, so a search reads one document (cached here, rechecked with one `head` at most every
 * `recheckMs`) instead of every record. Without an index (a store written before it existed) the first search
 * builds it from one scan. A process that stops between a record write and its index write leaves that
 * package's summary at its previous revision until the package changes again.
 */
export class SearchIndex {
  private cached: { etag: string; packages: Record<string, IndexEntry>; checkedAt: number } | undefined;
  private readonly loads = new SingleFlight<Record<string, IndexEntry>>();
  /** Set when an index write failed: the next load rescans the records. */
  private rebuild = false;

  constructor(private readonly opts: { store: BlobStore; recheckMs: number; now: () => number }) {}

  /** After a record was written: its entry follows (compare-and-swap on the index; the later revision wins). */
  async recordChanged(name: string, record: PrivatePackageRecord): Promise<void> {
    const incoming = safeRecord([[name, indexEntryOf(record)] as const]);
    try {
      await updateDocument<StoredIndex>(this.opts.store, storageKeys.searchIndex, (current) => {
        const stored = current?.packages && Object.hasOwn(current.packages, name) ? current.packages[name] : undefined;
        if (stored !== undefined && stored.rev > incoming[name]!.rev) return undefined;
        return merged(current, incoming, false);
      });
    } catch {
      // The record is written and acknowledged; the index is derived from it: rebuild it on the next search here.
      this.rebuild = true;
    }
    this.cached = undefined;
  }

  /** Every private package's entry, by name. */
  entries(): Promise<Record<string, IndexEntry>> {
    const cached = this.cached;
    if (cached !== undefined && this.opts.now() - cached.checkedAt < this.opts.recheckMs) return Promise.resolve(cached.packages);
    return this.loads.run('index', () => this.load(cached));
  }

  private async load(cached: SearchIndex['cached']): Promise<Record<string, IndexEntry>> {
    const checkedAt = this.opts.now();
    if (cached !== undefined && (await this.opts.store.head(storageKeys.searchIndex))?.etag === cached.etag) {
      cached.checkedAt = checkedAt;
      return cached.packages;
    }
    let doc = await readJsonDocument<StoredIndex>(this.opts.store, storageKeys.searchIndex);
    if (doc === undefined || !doc.value.complete || this.rebuild) {
      this.rebuild = false;
      const scanned = await this.scan();
      const written = await updateDocument<StoredIndex>(this.opts.store, storageKeys.searchIndex, (current) => merged(current, scanned, true));
      doc = { value: written.value as StoredIndex, etag: written.etag as string, bytes: 0 };
    }
    const packages = safeRecord(doc.value.packages);
    this.cached = { etag: doc.etag, packages, checkedAt };
    return packages;
  }

  /** One pass over the private records (only when the index is missing or incomplete). */
  private async scan(): Promise<Record<string, IndexEntry>> {
    const entries = safeRecord<IndexEntry>();
    for await (const key of this.opts.store.list(storageKeys.privatePrefix)) {
      const doc = await readJsonDocument<PrivatePackageRecord>(this.opts.store, key);
      if (doc) entries[doc.value.packument.name] = indexEntryOf(doc.value);
    }
    return entries;
  }
}
