export { createS3BlobStore, type S3BlobStoreOptions } from './lib/s3-blob-store';
export type { S3ConnectionOptions } from './lib/s3-client';
