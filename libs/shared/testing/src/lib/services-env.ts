import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Connection settings of the real services started by tools/services/up.sh (sourced from .services/env). */
export interface ServicesEnv {
  kafkaBrokers: string[];
  s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
}

const HINT = 'Start the real services first: `npm run services:up`, then `set -a; source .services/env; set +a` (npm test does both).';

/**
 * Reads the real services' settings; throws (never skips) when they are missing, so a suite that needs
 * Kafka or S3 fails loudly instead of passing vacuously.
 */
export function requireServicesEnv(env: NodeJS.ProcessEnv = process.env): ServicesEnv {
  const need = ['KAFKA_BROKERS', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_BUCKET'] as const;
  const missing = need.filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`Missing ${missing.join(', ')}. ${HINT}`);
  return {
    kafkaBrokers: (env['KAFKA_BROKERS'] as string).split(',').map((b) => b.trim()),
    s3: {
      endpoint: env['S3_ENDPOINT'] as string,
      region: env['S3_REGION'] ?? 'us-east-1',
      bucket: env['S3_BUCKET'] as string,
      accessKeyId: env['S3_ACCESS_KEY_ID'] as string,
      secretAccessKey: env['S3_SECRET_ACCESS_KEY'] as string,
      forcePathStyle: env['S3_FORCE_PATH_STYLE'] !== 'false',
    },
  };
}

/**
 * The storage variables that point an app (npm-proxy, pypi-proxy) at the test S3 server under `prefix`. The test
 * server is versitygw, whose conditional writes are not atomic across clients, so instances verify theirs.
 */
export function s3AppEnv(services: ServicesEnv, prefix: string): Record<string, string> {
  const { s3 } = services;
  return {
    STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_FORCE_PATH_STYLE: String(s3.forcePathStyle), S3_VERIFY_CONDITIONAL_WRITES: 'true',
    STORAGE_PREFIX: prefix,
  };
}

/** `.services/env` (written by tools/services/up.sh) as variables, for scripts run without sourcing it. */
export function servicesEnvFile(repoRoot: string): NodeJS.ProcessEnv {
  const text = readFileSync(path.join(repoRoot, '.services', 'env'), 'utf8');
  return Object.fromEntries(text.split('\n')
    .map((line) => /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], (m[2] ?? '').replace(/^["']|["']$/g, '')]));
}
