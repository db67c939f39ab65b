import { z } from 'zod';

/** "true"/"false"/"1"/"0"/"yes"/"no": env booleans are strings, and z.coerce.boolean() would read "false" as true. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = z.coerce.number().int().min(0).max(65535);

/** Durations are milliseconds everywhere (`*_MS`). */
export const milliseconds = z.coerce.number().int().min(0);

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** An http(s) URL without a trailing slash. */
export const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((u) => u.replace(/\/+$/, ''));

/** Storage variables shared by both proxies (README configuration table). */
export const StorageEnv = z.object({
  STORAGE_DRIVER: z.enum(['fs', 's3']).default('fs'),
  DATA_DIR: z.string().min(1).default('./data'),
  S3_ENDPOINT: httpUrl.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: envBoolean.default(true),
  /**
   * Read every conditional write back, for S3-compatible servers whose If-Match is not atomic across clients
   * (versitygw); leave off for AWS S3 and MinIO.
   */
  S3_VERIFY_CONDITIONAL_WRITES: envBoolean.default(false),
  /** Key prefix inside the bucket or directory, so several deployments can share one bucket. */
  STORAGE_PREFIX: z.string().default(''),
});

/** Refinement: the s3 driver needs a bucket. Apply with `.superRefine(requireS3Settings)`. */
export function requireS3Settings(cfg: { STORAGE_DRIVER: 'fs' | 's3'; S3_BUCKET?: string | undefined }, ctx: z.RefinementCtx): void {
  if (cfg.STORAGE_DRIVER === 's3' && !cfg.S3_BUCKET) {
    ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when STORAGE_DRIVER=s3' });
  }
}
