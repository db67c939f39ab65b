import type { S3ConnectionOptions } from './s3-client';

/**
 * Connection settings of the real S3 server that `npm run services:up` starts (from `.services/env`).
 * Only for int-specs. Throws, so the suite fails rather than skips, when the server was not started.
 */
export function s3TestOptions(env: NodeJS.ProcessEnv): S3ConnectionOptions {
  const { S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE } = env;
  if (!S3_ENDPOINT || !S3_BUCKET || !S3_ACCESS_KEY_ID || !S3_SECRET_ACCESS_KEY) {
    throw new Error('S3_* variables are not set: run `npm run services:up` and `set -a; source .services/env; set +a` first');
  }
  return {
    endpoint: S3_ENDPOINT, region: S3_REGION ?? 'us-east-1', bucket: S3_BUCKET, accessKeyId: S3_ACCESS_KEY_ID,
    secretAccessKey: S3_SECRET_ACCESS_KEY, forcePathStyle: S3_FORCE_PATH_STYLE !== 'false',
  };
}
