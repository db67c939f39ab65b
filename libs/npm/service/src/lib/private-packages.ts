import { readJsonDocument, updateDocument, type BlobStore } from '@registry/storage-blob-store';
import { withSafeMaps, type Packument } from '@registry/npm-protocol';
import { safeRecord } from '@registry/shared-util';
import { SearchIndex } from './search-index';
import { storageKeys } from './storage-keys';

/** A package published here: its packument plus what must never come back (npm never reuses a name@version). */
export interface PrivatePackageRecord {
  packument: Packument;
  /** version → ISO time of its unpublish. */
  unpublished: Record<string, string>;
  /** version → object-store key of its tarball. */
  tarballKeys: Record<string, string>;
}

export interface PrivateRecordSnapshot {
  record: PrivatePackageRecord;
  etag: string;
  /** Size of the stored record (JSON bytes). */
  bytes: number;
}

/** Reads and updates private package records; every write is a compare-and-swap on the record document. */
export class PrivatePackages {
  /** Search summaries, updated after every record write. */
  readonly searchIndex: SearchIndex;

  constructor(private readonly store: BlobStore, opts: { recheckMs: number; now: () => number }) {
    this.searchIndex = new SearchIndex({ store, ...opts });
  }

  /** Cheap change detector for the served-packument cache: the record's current etag, or undefined. */
  async etagOf(name: string): Promise<string | undefined> {
    return (await this.store.head(storageKeys.privatePackage(name)))?.etag;
  }

  async get(name: string): Promise<PrivateRecordSnapshot | undefined> {
    const doc = await readJsonDocument<PrivatePackageRecord>(this.store, storageKeys.privatePackage(name));
    return doc && { record: withSafeRecordMaps(doc.value), etag: doc.etag, bytes: doc.bytes };
  }

  /**
   * Applies `mutate` with compare-and-swap (retried on concurrent writes). `mutate` may throw an AppError to
   * refuse the change (nothing is written); it gets a copy of the record, since it can run several times.
   */
  async update(name: string, mutate: (current: PrivatePackageRecord | undefined) => PrivatePackageRecord | undefined): Promise<PrivatePackageRecord | undefined> {
    const result = await updateDocument<PrivatePackageRecord>(this.store, storageKeys.privatePackage(name), (current) => {
      // structuredClone makes plain objects again: the maps are made null-prototype after it.
      const copy = current === undefined ? undefined : withSafeRecordMaps(structuredClone(current) as PrivatePackageRecord);
      return mutate(copy);
    });
    if (result.written && result.value !== undefined) await this.searchIndex.recordChanged(name, result.value);
    return result.value;
  }
}

/** Every map of a record keyed by names from requests (versions, tags, times) as a null-prototype map (protocols §16). */
function withSafeRecordMaps(record: PrivatePackageRecord): PrivatePackageRecord {
  return { packument: withSafeMaps(record.packument), unpublished: safeRecord(record.unpublished), tarballKeys: safeRecord(record.tarballKeys) };
}
