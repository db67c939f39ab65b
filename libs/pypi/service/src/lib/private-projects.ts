import { readJsonDocument, updateDocument, type BlobStore } from '@registry/storage-blob-store';
import { sameDistributionFilename, type ProjectStatus } from '@registry/pypi-protocol';
import { ownValue, safeRecord } from '@registry/shared-util';
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
  return { project: doc && sanitizedProject(doc.value), etag: doc?.etag };
}

/** The file stored under exactly this filename; never an inherited member (`constructor`, protocols §16). */
export const privateFileOf = (project: PrivateProject | undefined, filename: string): PrivateFileRecord | undefined =>
  ownValue(project?.files, filename);

/** A stored file whose filename equals this one ignoring case: an upload conflicts with it (protocols §2.4). */
export const fileNamedLike = (project: PrivateProject | undefined, filename: string): PrivateFileRecord | undefined =>
  Object.values(project?.files ?? {}).find((f) => sameDistributionFilename(f.filename, filename));

/** True when a deleted file had this filename, in any case: it is never reused (protocols §2.4, §8.19). */
export const wasDeleted = (project: PrivateProject | undefined, filename: string): boolean =>
  project?.deletedFilenames.some((f) => sameDistributionFilename(f, filename)) ?? false;

/** The project map with `filename` set to `record` (a null-prototype map, as every stored map is read). */
export const withFile = (files: Record<string, PrivateFileRecord>, record: PrivateFileRecord): Record<string, PrivateFileRecord> =>
  safeRecord([...Object.entries(files), [record.filename, record] as const]);

/** The project map without `filename`. */
export const safeFilesWithout = (files: Record<string, PrivateFileRecord>, filename: string): Record<string, PrivateFileRecord> =>
  safeRecord(Object.entries(files).filter(([key]) => key !== filename));

/**
 * A stored document as the code may rely on it: `files` a null-prototype map holding only well-formed records
 * under their own filename. A record that is not (written by an older version, e.g. a yank of `constructor`)
 * is left out, so rendering never fails on stored data.
 */
function sanitizedProject(project: PrivateProject): PrivateProject {
  const files = safeRecord(Object.entries(project.files ?? {}).filter(([key, record]) => isFileRecord(record) && record.filename === key));
  return { ...project, owners: Array.isArray(project.owners) ? project.owners : [], files, deletedFilenames: Array.isArray(project.deletedFilenames) ? project.deletedFilenames : [] };
}

const isStringOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
function isFileRecord(value: unknown): value is PrivateFileRecord {
  const r = value as Partial<PrivateFileRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.filename === 'string' && typeof r.version === 'string' && (r.kind === 'wheel' || r.kind === 'sdist')
    && typeof r.sha256 === 'string' && typeof r.size === 'number' && typeof r.uploadTime === 'string' && isStringOrNull(r.requiresPython)
    && isStringOrNull(r.metadataSha256) && (r.yanked === false || typeof r.yanked === 'string');
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
  const result = await updateDocument<PrivateProject>(store, storageKeys.privateProject(normalized), (current) => mutate(current && sanitizedProject(current)), { maxAttempts: MAX_CAS_ATTEMPTS });
  return { project: result.value && sanitizedProject(result.value), etag: result.etag };
}
