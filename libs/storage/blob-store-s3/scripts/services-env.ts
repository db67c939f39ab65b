import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { S3ConnectionOptions } from '../src/lib/s3-client';

/** Reads `.services/env` (written by tools/services/up.sh) so these scripts need no exported variables. */
export function s3OptionsFromServicesEnv(repoRoot = path.resolve(__dirname, '../../../..')): S3ConnectionOptions {
  const file = path.join(repoRoot, '.services', 'env');
  const vars = Object.fromEntries(readFileSync(file, 'utf8').split('\n')
    .map((line) => /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]!.replace(/^["']|["']$/g, '')]));
  return {
    endpoint: vars.S3_ENDPOINT, region: vars.S3_REGION ?? 'us-east-1', bucket: vars.S3_BUCKET!, accessKeyId: vars.S3_ACCESS_KEY_ID,
    secretAccessKey: vars.S3_SECRET_ACCESS_KEY, forcePathStyle: vars.S3_FORCE_PATH_STYLE !== 'false',
  };
}
