import { randomUUID } from 'node:crypto';
import { makeTempDir, requireServicesEnv } from '@registry/shared-testing';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { usageWriterWorld } from './testing/usage-writer';

describe('the usage snapshot writer on the real S3 server (tools/services), and the console that reads it', () => {
  it('stores the snapshot in the bucket under the deployment\'s prefix, where the proxy reads it', async () => {
    const { s3 } = requireServicesEnv();
    const temp = await makeTempDir('usage-snapshot-s3-');
    try {
      const world = usageWriterWorld(temp.dir, {
        STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_FORCE_PATH_STYLE: String(s3.forcePathStyle), STORAGE_PREFIX: `usage-${randomUUID()}/`,
      }, process.env);
      expect(await world.roundTrip(11)).toEqual({ stdout: expect.stringContaining(`stored at ${USAGE_SNAPSHOT_KEY} (s3 bucket ${s3.bucket}`), storedAsPut: true, shown: true });
    } finally {
      await temp.remove();
    }
  });
});
