import { updateDocument, type BlobStore } from '@registry/storage-blob-store';
import { storageKeys } from './storage-keys';

/** One uploaded file, as recorded in its project document. */
export interface PrivateFileRecord {
  filename: string;
  version: string;
  kind: 'wheel' | 'sdist';
  sha256: string;
  blake2b256: string;
  size: number;
  uploadTime: string;
  requiresPython: string | null;
  /** sha256 of the extracted METADATA (PEP 658), null for sdists. */
  metadataSha256: string | null;
  /** PEP 592: false, or the reason (possibly empty). */
  yanked: false | string;
  uploader: string;
}

/** The project document (`pypi/projects/<name>.json`), the single source of truth for private files. */
export interface PrivateProject {
  /** Display name as first uploaded. */
  name: string;
  owners: string[];
  files: Record<string, PrivateFileRecord>;
  /** Filenames of deleted files: never reusable (PyPI rule, protocols §8.19). */
  deletedFilenames: string[];
}

export interface PrivateProjectSnapshot {
  project: PrivateProject | undefined;
  etag: string | undefined;
}

export async function loadPrivateProject(store: BlobStore, normalized: string): Promise<PrivateProjectSnapshot> {
  const doc = await store.getDocument(storageKeys.privateProject(normalized));
  if (doc === undefined) return { project: undefined, etag: undefined };
  return { project: JSON.parse(doc.body.toString('utf8')) as PrivateProject, etag: doc.etag };
}

/**
 * Read-modify-write of a project document with compare-and-swap (`updateDocument`), so two instances
 * never lose each other's uploads. `mutate` may run more than once; it throws AppError to refuse.
 */
export async function updatePrivateProject(
  store: BlobStore,
  normalized: string,
  mutate: (current: PrivateProject | undefined) => PrivateProject | undefined,
): Promise<PrivateProject | undefined> {
  const result = await updateDocument<PrivateProject>(store, storageKeys.privateProject(normalized), mutate);
  return result.value;
}
