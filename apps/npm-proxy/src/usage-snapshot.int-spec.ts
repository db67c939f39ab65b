import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireServicesEnv } from '@registry/shared-testing';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { usageSnapshot, usageWriterWorld } from './testing/usage-writer';

describe('the usage snapshot writer on the real S3 server (tools/services), and the console that reads it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'usage-snapshot-s3-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores the snapshot in the bucket under the deployment\'s prefix, where the proxy reads it', async () => {
    const { s3 } = requireServicesEnv();
    const world = usageWriterWorld(dir, {
      STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_FORCE_PATH_STYLE: String(s3.forcePathStyle), STORAGE_PREFIX: `usage-${randomUUID()}/`,
    }, process.env);
    expect((await world.put('usage.json', usageSnapshot(11))).stdout).toContain(`stored at ${USAGE_SNAPSHOT_KEY} (s3 bucket ${s3.bucket}`);
    expect(await world.stored()).toEqual(usageSnapshot(11));
    expect(await world.usagePage()).toContain('<a href="/-/web/package/left-pad">left-pad</a></td><td>11</td>');
  });
});
