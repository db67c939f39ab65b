import path from 'node:path';
import { AppError } from '@registry/shared-errors';
import { assertValidKey } from '@registry/storage-blob-store';

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
  if (encoded.length > MAX_SEGMENT_BYTES) throw new AppError('invalid_request', `key segment too long for the filesystem store: ${segment.slice(0, 40)}…`);
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
