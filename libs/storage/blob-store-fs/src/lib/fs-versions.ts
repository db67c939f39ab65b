import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@registry/shared-errors';
import { setTimeout as delay } from 'node:timers/promises';
import { KeyedMutex } from '@registry/shared-util';
import { assertValidKey, STORE_UNAVAILABLE, type BlobMeta, type PutDocumentOptions } from '@registry/storage-blob-store';

/**
 * Where a key lives on disk. Each key segment becomes one encodeURIComponent'd path segment, so `/` can only
 * separate directories and `..` never survives validation. encodeURIComponent never emits `@`, which makes
 * `@` a safe separator: directories never contain it, the files of a key always do:
 *   objects/<seg>/.../<last>@meta        JSON metadata; the single atomic switch that publishes a version
 *   objects/<seg>/.../<last>@<id>.data   the bytes of version <id> (etag = <id>)
 *   objects/<seg>/.../<last>@lock        cross-process lock for writers of this key
 * A key "a" (file "a@meta") and a key "a/b" (directory "a") therefore never collide.
 */
export interface KeyPaths {
  dir: string;
  meta: string;
  lock: string;
  data(versionId: string): string;
}

export const META_SUFFIX = '@meta';
const MAX_SEGMENT_BYTES = 200; // 255-byte file names minus "@<uuid>.data"

export const objectsDir = (root: string): string => path.join(root, 'objects');
export const stagingDir = (root: string): string => path.join(root, '.staging');

export function keyPaths(root: string, key: string): KeyPaths {
  assertValidKey(key);
  const segments = key.split('/').map(encodeSegment);
  const last = segments.pop() as string;
  const dir = path.join(objectsDir(root), ...segments);
  return {
    dir,
    meta: path.join(dir, `${last}${META_SUFFIX}`),
    lock: path.join(dir, `${last}@lock`),
    data: (versionId) => path.join(dir, `${last}@${versionId}.data`),
  };
}

function encodeSegment(segment: string): string {
  const encoded = encodeURIComponent(segment);
  if (encoded.length > MAX_SEGMENT_BYTES) throw new AppError('invalid_request', `key segment too long for the filesystem store: ${segment.slice(0, 40)}…`, { publicMessage: 'a name in this request is too long to be stored' });
  return encoded;
}

/** Inverse of the layout for list(): a path relative to objects/ ending in "@meta" back to its key. */
export function keyFromMetaPath(relative: string): string {
  const segments = relative.split(path.sep);
  const file = segments.pop() as string;
  return [...segments, file.slice(0, -META_SUFFIX.length)].map(decodeURIComponent).join('/');
}

/** The deepest directory that can contain every key starting with `prefix`. */
export function listRoot(root: string, prefix: string): string {
  const complete = prefix.split('/').slice(0, -1);
  return path.join(objectsDir(root), ...complete.map(encodeSegment));
}

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
    throw new AppError('unavailable', `cannot read metadata of ${key}`, { cause: err, publicMessage: STORE_UNAVAILABLE });
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
      if (!isMissing(err)) throw new AppError('unavailable', `cannot open ${key}`, { cause: err, publicMessage: STORE_UNAVAILABLE });
    }
  }
  throw new AppError('unavailable', `${key} kept changing while being opened`, { publicMessage: STORE_UNAVAILABLE });
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
      if (condition.ifNoneMatch === '*' && current !== undefined) throw new AppError('precondition_failed', `${key} already exists`, { publicMessage: 'the document already exists' });
      if (condition.ifMatch !== undefined && current?.etag !== condition.ifMatch) {
        throw new AppError('precondition_failed', `${key} changed since it was read`, { publicMessage: 'the document changed concurrently' });
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

const STALE_AFTER_MS = 30_000; // a writer holds the lock for one rename or two; older means its process died
const WAIT_LIMIT_MS = 10_000;

/**
 * Serialises writers of one key: an in-process queue (KeyedMutex: cheap, fair) in front of an exclusive lock
 * file (`open(..., 'wx')`, atomic on POSIX) that excludes other processes sharing the same directory.
 */
export class KeyLocks {
  private readonly queue = new KeyedMutex();

  withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(lockPath, async () => {
      await acquireLockFile(lockPath);
      try {
        return await work();
      } finally {
        await rm(lockPath, { force: true });
      }
    });
  }
}

async function acquireLockFile(lockPath: string): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > STALE_AFTER_MS) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new AppError('unavailable', `timed out waiting for lock ${lockPath}`, { publicMessage: STORE_UNAVAILABLE });
    await delay(2 + Math.random() * 10);
  }
}
