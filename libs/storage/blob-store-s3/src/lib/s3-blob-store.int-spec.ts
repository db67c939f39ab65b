import { randomUUID } from 'node:crypto';
import { silentLogger } from '@registry/shared-logger';
import { describeBlobStoreContract } from '@registry/storage-blob-store/testing';
import { createS3BlobStore } from './s3-blob-store';
import { s3TestOptions } from './s3-test-env';

describeBlobStoreContract('S3 (real server from tools/services)', async () => {
  const prefix = `contract-${randomUUID()}/`;
  const opts = { ...s3TestOptions(process.env), prefix, logger: silentLogger };
  const store = createS3BlobStore(opts);
  await store.ping();
  // The staging area is invisible through the store itself, so look at it through a store rooted one level up.
  const bucketView = createS3BlobStore({ ...opts, prefix: '' });
  return {
    store,
    stagingLeftovers: async () => {
      let count = 0;
      for await (const key of bucketView.list(prefix)) if (key.startsWith(`${prefix}.staging/`)) count += 1;
      return count;
    },
  };
});
