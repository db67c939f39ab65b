import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeBlobStoreContract } from '@registry/storage-blob-store/testing';
import { createFsBlobStore } from './fs-blob-store';

describeBlobStoreContract('local filesystem', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'blob-store-fs-'));
  return {
    store: createFsBlobStore({ root }),
    stagingLeftovers: async () => (await readdir(path.join(root, '.staging'))).length,
    teardown: () => rm(root, { recursive: true, force: true }),
  };
});
