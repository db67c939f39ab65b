import type { Logger } from '@registry/shared-logger';
import { prefixedBlobStore, type BlobStore } from '@registry/storage-blob-store';
import { createFsBlobStore } from '@registry/storage-blob-store-fs';

/** The shared storage variables (StorageEnv in shared-config), as parsed. */
export interface StorageSettings {
  STORAGE_DRIVER: 'fs' | 's3';
  DATA_DIR: string;
  S3_ENDPOINT?: string | undefined;
  S3_PUBLIC_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_BUCKET?: string | undefined;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
  S3_VERIFY_CONDITIONAL_WRITES: boolean;
  STORAGE_PREFIX: string;
  STORAGE_DOWNLOAD_REDIRECT: 'off' | 'presigned';
  STORAGE_DOWNLOAD_REDIRECT_TTL_MS: number;
}

/**
 * The store both proxies share: packages under `pypi/` and `npm/`, identities under `auth/`, so one
 * directory or bucket serves both registries with one set of users. The S3 adapter, and with it the AWS SDK
 * (some 20 MB of resident memory), is loaded only for the s3 driver.
 */
export async function createBlobStore(settings: StorageSettings, logger: Logger): Promise<BlobStore> {
  if (settings.STORAGE_DRIVER === 's3') {
    if (!settings.S3_BUCKET) throw new Error('S3_BUCKET is required when STORAGE_DRIVER=s3');
    const { createS3BlobStore } = await import('@registry/storage-blob-store-s3');
    return createS3BlobStore({
      bucket: settings.S3_BUCKET,
      region: settings.S3_REGION,
      forcePathStyle: settings.S3_FORCE_PATH_STYLE,
      verifyConditionalWrites: settings.S3_VERIFY_CONDITIONAL_WRITES,
      logger,
      ...(settings.S3_ENDPOINT ? { endpoint: settings.S3_ENDPOINT } : {}),
      ...(settings.S3_PUBLIC_ENDPOINT ? { publicEndpoint: settings.S3_PUBLIC_ENDPOINT } : {}),
      ...(settings.S3_ACCESS_KEY_ID ? { accessKeyId: settings.S3_ACCESS_KEY_ID } : {}),
      ...(settings.S3_SECRET_ACCESS_KEY ? { secretAccessKey: settings.S3_SECRET_ACCESS_KEY } : {}),
      ...(settings.STORAGE_PREFIX ? { prefix: settings.STORAGE_PREFIX } : {}),
    });
  }
  const store = createFsBlobStore({ root: settings.DATA_DIR });
  return settings.STORAGE_PREFIX ? prefixedBlobStore(store, settings.STORAGE_PREFIX) : store;
}

/** The read-through's `redirect` option from STORAGE_DOWNLOAD_REDIRECT (both services take it as `downloadRedirect`). */
export function downloadRedirectOf(settings: Pick<StorageSettings, 'STORAGE_DOWNLOAD_REDIRECT' | 'STORAGE_DOWNLOAD_REDIRECT_TTL_MS'>): { downloadRedirect?: { expiresInMs: number } } {
  return settings.STORAGE_DOWNLOAD_REDIRECT === 'presigned' ? { downloadRedirect: { expiresInMs: settings.STORAGE_DOWNLOAD_REDIRECT_TTL_MS } } : {};
}
