import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@registry/shared-errors';
import type { BlobMeta, PutDocumentOptions } from '@registry/storage-blob-store';
import type { KeyPaths } from './fs-layout';
import type { KeyLocks } from './key-lock';

/** Contents of an `@meta` file. */
interface MetaFile {
  size: number;
  contentType: string;
  versionId: string;
  storedAt: string;
  digests: BlobMeta['digests'];
}

export type NewVersion = Omit<MetaFile, 'storedAt'>;
type Condition = Pick<PutDocumentOptions, 'ifMatch' | 'ifNoneMatch'>;

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

export async function readMeta(key: string, paths: KeyPaths): Promise<BlobMeta | undefined> {
  let text: string;
  try {
    text = await readFile(paths.meta, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw new AppError('unavailable', `cannot read metadata of ${key}`, { cause: err });
  }
  const meta = JSON.parse(text) as MetaFile;
  return { key, size: meta.size, contentType: meta.contentType, etag: meta.versionId, storedAt: new Date(meta.storedAt), digests: meta.digests };
}

/**
 * Opens the current version's bytes. A writer may replace the version and unlink the old data file between
 * our reading the metadata and opening the file; then the metadata is re-read. Once open, an unlink no longer matters.
 */
export async function openCurrent(key: string, paths: KeyPaths): Promise<{ meta: BlobMeta; handle: FileHandle } | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const meta = await readMeta(key, paths);
    if (meta === undefined) return undefined;
    try {
      return { meta, handle: await open(paths.data(meta.etag), 'r') };
    } catch (err) {
      if (!isMissing(err)) throw new AppError('unavailable', `cannot open ${key}`, { cause: err });
    }
  }
  throw new AppError('unavailable', `${key} kept changing while being opened`);
}

/** Writes a small file durably: temp file in the staging dir, fsync, rename. */
export async function writeFileAtomically(stagingDir: string, target: string, data: Uint8Array | string): Promise<void> {
  const temp = path.join(stagingDir, randomUUID());
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target).catch(async (err: unknown) => {
    await rm(temp, { force: true });
    throw err;
  });
}

/**
 * Makes version `next` (whose data file is already in place) the current one: under the key's lock, check the
 * condition, switch the metadata file atomically, then remove the previous version's data file.
 * If this throws, the caller's data file is removed too, so nothing is left behind.
 */
export async function publishVersion(
  key: string, paths: KeyPaths, locks: KeyLocks, stagingDir: string, next: NewVersion, condition: Condition = {},
): Promise<BlobMeta> {
  try {
    return await locks.withLock(paths.lock, async () => {
      const current = await readMeta(key, paths);
      if (condition.ifNoneMatch === '*' && current !== undefined) throw new AppError('precondition_failed', `${key} already exists`);
      if (condition.ifMatch !== undefined && current?.etag !== condition.ifMatch) {
        throw new AppError('precondition_failed', `${key} changed since it was read`);
      }
      const file: MetaFile = { ...next, storedAt: new Date().toISOString() };
      await writeFileAtomically(stagingDir, paths.meta, JSON.stringify(file));
      if (current !== undefined) await rm(paths.data(current.etag), { force: true });
      return { key, size: file.size, contentType: file.contentType, etag: file.versionId, storedAt: new Date(file.storedAt), digests: file.digests };
    });
  } catch (err) {
    await rm(paths.data(next.versionId), { force: true });
    throw err;
  }
}

/** Removes the current version, if any, under the key's lock. */
export async function removeVersion(paths: KeyPaths, locks: KeyLocks, key: string): Promise<void> {
  await locks.withLock(paths.lock, async () => {
    const current = await readMeta(key, paths);
    if (current === undefined) return;
    await rm(paths.meta, { force: true });
    await rm(paths.data(current.etag), { force: true });
  });
}

export const ensureDir = (dir: string): Promise<string | undefined> => mkdir(dir, { recursive: true });
