import { readJsonDocument, updateDocument, type BlobStore } from '@registry/storage-blob-store';
import type { ProjectStatus } from '@registry/pypi-protocol';
import { storageKeys } from './storage-keys';

/** One uploaded file, as recorded in its project document (JSON: absent values are null). */
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
  /**
   * sha256 of the file's stored PEP 740 provenance object (its attestations as uploaded), null when it was
   * uploaded without; absent in records written before provenance was kept (the same as null).
   */
  provenanceSha256?: string | null;
}

/** The project document (`pypi/projects/<name>.json`), the single source of truth for private files. */
export interface PrivateProject {
  /** Display name as first uploaded. */
  name: string;
  owners: string[];
  files: Record<string, PrivateFileRecord>;
  /** Filenames of deleted files: never reusable (PyPI rule, protocols §8.19). */
  deletedFilenames: string[];
  /** PEP 792 status an owner or admin set; absent = active. */
  status?: ProjectStatus;
}

export interface PrivateProjectSnapshot {
  project: PrivateProject | undefined;
  etag: string | undefined;
}

export async function loadPrivateProject(store: BlobStore, normalized: string): Promise<PrivateProjectSnapshot> {
  const doc = await readJsonDocument<PrivateProject>(store, storageKeys.privateProject(normalized));
  return { project: doc?.value, etag: doc?.etag };
}

/**
 * CAS attempts before a write gives up with 409. Writers of one instance queue (updateDocument), so only other
 * instances compete; with updateDocument's full-jitter backoff (5 ms base, 500 ms cap) this is ~10 s of trying.
 */
const MAX_CAS_ATTEMPTS = 32;

/** Read-modify-write of a project document; `mutate` may run more than once and throws AppError to refuse. */
export async function updatePrivateProject(
  store: BlobStore,
  normalized: string,
  mutate: (current: PrivateProject | undefined) => PrivateProject | undefined,
): Promise<PrivateProjectSnapshot> {
  const result = await updateDocument<PrivateProject>(store, storageKeys.privateProject(normalized), mutate, { maxAttempts: MAX_CAS_ATTEMPTS });
  return { project: result.value, etag: result.etag };
}
