import { updateDocument, type BlobStore } from '@registry/storage-blob-store';
import type { Packument } from '@registry/npm-protocol';
import { storageKeys } from './storage-keys';

/** A package published here: its packument plus what must never come back (npm never reuses a name@version). */
export interface LocalPackageRecord {
  packument: Packument;
  /** version → ISO time of its unpublish. */
  unpublished: Record<string, string>;
  /** version → object-store key of its tarball. */
  tarballKeys: Record<string, string>;
}

export interface LocalRecordSnapshot {
  record: LocalPackageRecord;
  etag: string;
  /** Size of the stored record (JSON bytes). */
  bytes: number;
}

/** Reads and updates local package records; every write is a compare-and-swap on the record document. */
export class LocalPackages {
  constructor(private readonly store: BlobStore) {}

  /** Cheap change detector for the serialized-packument cache: the record's current etag, or undefined. */
  async etagOf(name: string): Promise<string | undefined> {
    return (await this.store.head(storageKeys.localPackage(name)))?.etag;
  }

  async get(name: string): Promise<LocalRecordSnapshot | undefined> {
    const doc = await this.store.getDocument(storageKeys.localPackage(name));
    if (!doc) return undefined;
    return { record: JSON.parse(doc.body.toString('utf8')) as LocalPackageRecord, etag: doc.etag, bytes: doc.body.length };
  }

  /**
   * Applies `mutate` with compare-and-swap (retried on concurrent writes). `mutate` may throw an AppError to
   * refuse the change (nothing is written), and must be pure since it can run several times.
   */
  async update(name: string, mutate: (current: LocalPackageRecord | undefined) => LocalPackageRecord | undefined): Promise<LocalPackageRecord | undefined> {
    const result = await updateDocument<LocalPackageRecord>(this.store, storageKeys.localPackage(name), (current) => {
      const copy = current === undefined ? undefined : (structuredClone(current) as LocalPackageRecord);
      return mutate(copy);
    });
    return result.value;
  }

  async *names(): AsyncIterable<string> {
    for await (const key of this.store.list(storageKeys.localPrefix)) {
      const doc = await this.store.getDocument(key);
      if (doc) yield (JSON.parse(doc.body.toString('utf8')) as LocalPackageRecord).packument.name;
    }
  }
}
