import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { silentLogger } from '@registry/shared-logger';
import { generatedChunks } from '@registry/storage-blob-store/testing';
import { createS3BlobStore } from './s3-blob-store';
import { requireServicesEnv } from '@registry/shared-testing';

describe('S3 store failures surface as AppErrors', () => {
  it('fails a large write into a missing bucket instead of hanging, and ping reports unavailable', async () => {
    const store = createS3BlobStore({ ...requireServicesEnv().s3, bucket: `missing-${randomUUID()}`, logger: silentLogger });
    await expect(store.ping()).rejects.toMatchObject({ code: 'unavailable' });
    const pending = await store.begin('pkg/big.bin');
    await expect(pipeline(Readable.from(generatedChunks(40 * 1024 * 1024)), pending.body)).rejects.toThrow();
    await expect(pending.commit()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reports an unreachable server as unavailable', async () => {
    const store = createS3BlobStore({ ...requireServicesEnv().s3, endpoint: 'http://127.0.0.1:1', logger: silentLogger });
    await expect(store.ping()).rejects.toMatchObject({ code: 'unavailable' });
    await expect(store.head('pkg/a.tgz')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
