import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { access, readdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import {
  assertValidPrefix, ByteDigester, bytesOf, compareKeys, createStagedBody, resolveByteRange, STORE_UNAVAILABLE,
  type BeginOptions, type BlobStore, type PendingBlob, type StoredBlob,
} from '@registry/storage-blob-store';
import {
  ensureDir, keyFromMetaPath, keyPaths, listRoot, META_SUFFIX, objectsDir, openCurrent, publishVersion, readMeta, removeVersion, stagingDir, writeFileAtomically,
} from './fs-versions';
import { KeyLocks } from './fs-versions';

/** @types/node 20.9 predates the `flush` option (Node 20.10+). */
type WriteStreamOptions = Parameters<typeof createWriteStream>[1];

export interface FsBlobStoreOptions {
  /** Directory that holds everything (`objects/` and `.staging/`); created if missing. */
  root: string;
}

/**
 * BlobStore on a local directory (as Verdaccio's local-fs): staged bytes go to a temp file in
 * `<root>/.staging/` (same filesystem, so commit is a rename), are hashed while written, fsync'd, and become
 * visible only when the key's metadata file is atomically replaced. Safe for several processes sharing `root`.
 */
export function createFsBlobStore(opts: FsBlobStoreOptions): BlobStore {
  const root = path.resolve(opts.root);
  const staging = stagingDir(root);
  // Synchronous on purpose: this runs once in main.ts, and a bad DATA_DIR should stop the process right there.
  mkdirSync(staging, { recursive: true });
  mkdirSync(objectsDir(root), { recursive: true });
  const locks = new KeyLocks();

  const begin = async (key: string, beginOpts: BeginOptions = {}): Promise<PendingBlob> => {
    const paths = keyPaths(root, key);
    const temp = path.join(staging, randomUUID());
    // `flush` fsyncs before close, so a committed rename never points at bytes still only in the page cache.
    const target = createWriteStream(temp, { flags: 'wx', flush: true, highWaterMark: 64 * 1024 } as WriteStreamOptions);
    await once(target, 'open');
    let cleaned: Promise<void> | undefined;
    const cleanUp = (): Promise<void> => (cleaned ??= rm(temp, { force: true }));
    const staged = createStagedBody(key, target, beginOpts);
    staged.body.once('close', () => { if (staged.body.errored) void cleanUp(); });
    return {
      body: staged.body,
      async commit() {
        let result;
        try {
          result = await staged.finish();
        } catch (err) {
          await cleanUp();
          throw err;
        }
        const versionId = randomUUID();
        await ensureDir(paths.dir);
        await rename(temp, paths.data(versionId)).catch(async (err: unknown) => {
          await rm(temp, { force: true });
          throw new AppError('unavailable', `cannot commit ${key}`, { cause: err, publicMessage: STORE_UNAVAILABLE });
        });
        return publishVersion(key, paths, locks, staging, {
          versionId, size: result.size, digests: result.digests, contentType: beginOpts.contentType ?? 'application/octet-stream',
        });
      },
      async abort() {
        staged.body.destroy();
        await cleanUp();
      },
    };
  };

  return {
    async get(key, getOpts = {}): Promise<StoredBlob | undefined> {
      const opened = await openCurrent(key, keyPaths(root, key));
      if (opened === undefined) return undefined;
      const { meta, handle } = opened;
      let range;
      try {
        range = resolveByteRange(getOpts.range, meta.size);
      } catch (err) {
        await handle.close();
        throw err;
      }
      if (meta.size === 0) {
        await handle.close(); // createReadStream cannot express "zero bytes" (end is inclusive)
        return { meta, body: Readable.from([]) };
      }
      const body = handle.createReadStream({ start: range?.start ?? 0, end: range?.end ?? meta.size - 1, highWaterMark: 64 * 1024 });
      const signal = getOpts.signal;
      if (signal !== undefined) {
        const onAbort = (): void => { body.destroy(new AppError('unavailable', `read of ${key} aborted`, { publicMessage: 'a store read was aborted' })); };
        signal.addEventListener('abort', onAbort, { once: true });
        body.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      return range === undefined ? { meta, body } : { meta, body, range };
    },
    head: (key) => readMeta(key, keyPaths(root, key)),
    begin,
    async getDocument(key) {
      const opened = await openCurrent(key, keyPaths(root, key));
      if (opened === undefined) return undefined;
      try {
        return { body: await opened.handle.readFile(), etag: opened.meta.etag };
      } finally {
        await opened.handle.close();
      }
    },
    async putDocument(key, body, putOpts = {}) {
      const paths = keyPaths(root, key);
      const versionId = randomUUID();
      await ensureDir(paths.dir);
      await writeFileAtomically(staging, paths.data(versionId), bytesOf(body));
      const digester = new ByteDigester(undefined);
      digester.update(bytesOf(body));
      const meta = await publishVersion(key, paths, locks, staging, {
        versionId, size: body.length, digests: digester.digest(), contentType: putOpts.contentType ?? 'application/octet-stream',
      }, putOpts);
      return { etag: meta.etag };
    },
    delete: (key) => removeVersion(keyPaths(root, key), locks, key),
    list: (prefix) => listKeys(root, prefix),
    ping: () => access(staging).catch((err: unknown) => { throw new AppError('unavailable', `store directory ${root} is not accessible`, { cause: err, publicMessage: STORE_UNAVAILABLE }); }),
  };
}

async function* listKeys(root: string, prefix: string): AsyncIterable<string> {
  assertValidPrefix(prefix);
  const start = listRoot(root, prefix);
  const base = path.relative(objectsDir(root), start);
  const keys: string[] = [];
  try {
    for await (const meta of metaFilesUnder(start)) {
      const key = keyFromMetaPath(path.join(base, meta));
      if (key.startsWith(prefix)) keys.push(key);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new AppError('unavailable', `cannot list ${prefix}`, { cause: err, publicMessage: STORE_UNAVAILABLE });
  }
  yield* keys.sort(compareKeys);
}

/**
 * The `@meta` files under `dir` (paths relative to it), one `readdir` with file types per directory. Not
 * `readdir({ recursive: true })`: Node 20's version is several times slower on a large flat directory and holds
 * the event loop for hundreds of milliseconds with 10,000 keys (measured in the bench's "10,000 packages" cases).
 * A directory that vanishes while it is walked (a key deleted meanwhile) is skipped.
 */
async function* metaFilesUnder(dir: string, relative = ''): AsyncIterable<string> {
  const entries = await readdir(path.join(dir, relative), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && relative !== '') return [];
    throw err;
  });
  for (const entry of entries) {
    const child = relative === '' ? entry.name : path.join(relative, entry.name);
    if (entry.isDirectory()) yield* metaFilesUnder(dir, child);
    else if (entry.name.endsWith(META_SUFFIX)) yield child;
  }
}
