import { createHash } from 'node:crypto';
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

/** One shard of the index: the entries of the names that hash to it, and a count of its writes. */
interface StoredShard {
  generation: number;
  packages: Record<string, IndexEntry>;
}

/**
 * The manifest: each shard's generation as last written, and `complete`, true only when a full scan of the
 * private records went into the shards (a writer that finds no manifest creates an incomplete one, which the
 * next search completes).
 */
interface StoredManifest {
  complete: boolean;
  shards: Record<string, number>;
}

/**
 * Shards by the name's hash: a publish rewrites one shard (about 1/256 of the index: some 20 KB with 10,000
 * private packages) and the small manifest, instead of the whole index. 256 keeps a first full read cheap.
 */
const SHARD_COUNT = 256;
const STORE_CONCURRENCY = 16;

/** Runs `work` over `items`, at most STORE_CONCURRENCY store calls at a time. */
async function inGroups<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += STORE_CONCURRENCY) await Promise.all(items.slice(i, i + STORE_CONCURRENCY).map(work));
}

export const shardOf = (name: string): string => (createHash('sha1').update(name).digest()[0]! % SHARD_COUNT).toString(16).padStart(2, '0');

const revOf = (record: PrivatePackageRecord): number => Number.parseInt(record.packument._rev?.split('-')[0] ?? '0', 10) || 0;

export const indexEntryOf = (record: PrivatePackageRecord): IndexEntry => ({
  rev: revOf(record),
  hit: Object.keys(record.packument.versions).length > 0 ? (toSearchObject(record.packument) ?? null) : null,
});

/** Entries of `incoming` win unless the stored entry came from a later revision of the record (writers race). */
function mergedShard(current: StoredShard | undefined, incoming: Record<string, IndexEntry>): StoredShard | undefined {
  const packages = safeRecord(current?.packages ?? {});
  let changed = false;
  for (const [name, entry] of Object.entries(incoming)) {
    const stored = packages[name];
    if (stored !== undefined && stored.rev > entry.rev) continue;
    packages[name] = entry;
    changed = true;
  }
  return changed ? { generation: (current?.generation ?? 0) + 1, packages } : undefined;
}

/** Generations only move forward: a writer that lost a race never lowers what another wrote. */
function mergedManifest(current: StoredManifest | undefined, generations: Record<string, number>, complete: boolean): StoredManifest | undefined {
  const shards = safeRecord(current?.shards ?? {});
  let changed = current === undefined || (complete && !current.complete);
  for (const [shard, generation] of Object.entries(generations)) {
    if ((shards[shard] ?? 0) >= generation) continue;
    shards[shard] = generation;
    changed = true;
  }
  return changed ? { complete: complete || (current?.complete ?? false), shards } : undefined;
}

/**
 * Summaries of the private packages for `npm search` (protocols §5.1), kept beside the records in shards: every
 * record write updates its entry's shard, then the manifest, so a search reads the manifest (cached here,
 * rechecked with one `head` at most every `recheckMs`) and only the shards whose generation moved, instead of
 * every record. Without a manifest (a store written before it existed) the first search builds the shards from
 * one scan. A process that stops between a record write and its index write leaves that package's summary at
 * its previous revision until the package changes again.
 */
export class SearchIndex {
  private manifest: { etag: string; checkedAt: number } | undefined;
  private readonly shards = new Map<string, StoredShard>();
  /** Every entry, by name; a new object whenever an entry changed (the search service prepares it once per object). */
  private combined: Record<string, IndexEntry> = safeRecord();
  private readonly loads = new SingleFlight<Record<string, IndexEntry>>();
  /** Set when an index write failed: the next load rescans the records. */
  private rebuild = false;

  constructor(private readonly opts: { store: BlobStore; recheckMs: number; now: () => number }) {}

  /** After a record was written: its entry follows (compare-and-swap on its shard; the later revision wins). */
  async recordChanged(name: string, record: PrivatePackageRecord): Promise<void> {
    try {
      await this.writeEntries(safeRecord([[name, indexEntryOf(record)] as const]), false);
    } catch {
      // The record is written and acknowledged; the index is derived from it: rebuild it on the next search here.
      this.rebuild = true;
    }
    this.manifest = undefined;
  }

  /** Every private package's entry, by name. */
  entries(): Promise<Record<string, IndexEntry>> {
    const manifest = this.manifest;
    if (manifest !== undefined && this.opts.now() - manifest.checkedAt < this.opts.recheckMs) return Promise.resolve(this.combined);
    return this.loads.run('index', () => this.load(manifest));
  }

  private async load(known: SearchIndex['manifest']): Promise<Record<string, IndexEntry>> {
    const checkedAt = this.opts.now();
    if (known !== undefined && (await this.opts.store.head(storageKeys.searchIndexManifest))?.etag === known.etag) {
      known.checkedAt = checkedAt;
      return this.combined;
    }
    let doc = await readJsonDocument<StoredManifest>(this.opts.store, storageKeys.searchIndexManifest);
    if (doc === undefined || !doc.value.complete || this.rebuild) {
      this.rebuild = false;
      await this.writeEntries(await this.scan(), true);
      // The index before shards, when there was one: the scan has replaced it.
      await this.opts.store.delete(storageKeys.searchIndexBeforeShards).catch(() => undefined);
      doc = await readJsonDocument<StoredManifest>(this.opts.store, storageKeys.searchIndexManifest);
    }
    if (doc === undefined) return this.combined;
    await this.readMovedShards(doc.value.shards);
    this.manifest = { etag: doc.etag, checkedAt };
    return this.combined;
  }

  /** Reads the shards whose generation moved past the copy held here, then combines them once. */
  private async readMovedShards(generations: Record<string, number>): Promise<void> {
    const moved = Object.entries(generations).filter(([shard, generation]) => (this.shards.get(shard)?.generation ?? 0) < generation).map(([shard]) => shard);
    if (moved.length === 0) return;
    await inGroups(moved, async (shard) => {
      const stored = await readJsonDocument<StoredShard>(this.opts.store, storageKeys.searchIndexShard(shard));
      if (stored) this.shards.set(shard, { generation: stored.value.generation, packages: safeRecord(stored.value.packages) });
    });
    const combined = safeRecord<IndexEntry>();
    for (const shard of this.shards.values()) Object.assign(combined, shard.packages);
    this.combined = combined;
  }

  /** Writes entries into their shards, then their new generations into the manifest. */
  private async writeEntries(entries: Record<string, IndexEntry>, complete: boolean): Promise<void> {
    const byShard = new Map<string, Record<string, IndexEntry>>();
    for (const [name, entry] of Object.entries(entries)) {
      const shard = shardOf(name);
      let group = byShard.get(shard);
      if (group === undefined) byShard.set(shard, (group = safeRecord()));
      group[name] = entry;
    }
    const generations = safeRecord<number>();
    await inGroups([...byShard], async ([shard, group]) => {
      const written = await updateDocument<StoredShard>(this.opts.store, storageKeys.searchIndexShard(shard), (current) => mergedShard(current, group));
      if (written.value !== undefined) generations[shard] = written.value.generation;
    });
    await updateDocument<StoredManifest>(this.opts.store, storageKeys.searchIndexManifest, (current) => mergedManifest(current, generations, complete));
  }

  /** One pass over the private records (only when the manifest is missing or incomplete). */
  private async scan(): Promise<Record<string, IndexEntry>> {
    const entries = safeRecord<IndexEntry>();
    for await (const key of this.opts.store.list(storageKeys.privatePrefix)) {
      const doc = await readJsonDocument<PrivatePackageRecord>(this.opts.store, key);
      if (doc) entries[doc.value.packument.name] = indexEntryOf(doc.value);
    }
    return entries;
  }
}
