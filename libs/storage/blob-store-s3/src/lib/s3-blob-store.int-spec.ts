import { randomUUID } from 'node:crypto';
import { silentLogger } from '@registry/shared-logger';
import { requireServicesEnv } from '@registry/shared-testing';
import { describeBlobStoreContract } from '@registry/storage-blob-store/testing';
import { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';

async function underTest(opts: S3BlobStoreOptions, crossClient: boolean) {
  const store = createS3BlobStore(opts);
  await store.ping();
  // The staging area is invisible through the store itself, so look at it through a store rooted one level up.
  const bucketView = createS3BlobStore({ ...opts, prefix: '' });
  return {
    store,
    // Another process's store: its own client and its own per-key queue, so only the server orders their writes.
    ...(crossClient ? { anotherInstance: () => createS3BlobStore(opts) } : {}),
    stagingLeftovers: async () => {
      let count = 0;
      for await (const key of bucketView.list(opts.prefix ?? '')) if (key.startsWith(`${opts.prefix}.staging/`)) count += 1;
      return count;
    },
  };
}

const options = (): S3BlobStoreOptions => ({ ...requireServicesEnv().s3, prefix: `contract-${randomUUID()}/`, logger: silentLogger });

describeBlobStoreContract('S3 (real server from tools/services)', () => underTest(options(), false));

// The test server (versitygw) evaluates If-Match without a lock: two clients racing one document need the
// read-back of S3_VERIFY_CONDITIONAL_WRITES to keep both updates.
describeBlobStoreContract('S3, two clients, conditional writes verified', () => underTest({ ...options(), verifyConditionalWrites: true }, true));
