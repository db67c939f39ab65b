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
