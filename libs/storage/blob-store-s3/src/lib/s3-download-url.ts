import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError } from '@registry/shared-errors';
import { Lru } from '@registry/shared-util';

/** SigV4 query signatures last at most seven days. */
const MAX_EXPIRY_SECONDS = 7 * 24 * 3600;
/** Objects whose last URL is kept for reuse (a URL is about 600 bytes). */
const REUSED_URLS = 10_000;

/**
 * Presigned GET URLs of objects (BlobStore.downloadUrl). `signer` is a client configured with the address clients
 * reach the store by (S3_PUBLIC_ENDPOINT, else S3_ENDPOINT): the host is part of the signature, so a URL signed
 * for the internal address would not work on the public one. Signing is local (no request to the store), but the
 * SDK's presigner runs its whole request pipeline for it (about a millisecond of CPU), so a key's URL is reused
 * while at least half its lifetime is left: a client always gets at least half of `expiresInMs`. The URL carries
 * a signature, so it is returned to the caller only and never logged here. `now` is the signing time (a test signs
 * in the past to see a URL expire).
 */
export function s3DownloadUrls(signer: S3Client, bucket: string, now: () => number = Date.now): (objectKey: string, expiresInMs: number) => Promise<string> {
  const reused = new Lru<string, { url: string; reuseUntil: number }>({ maxEntries: REUSED_URLS });
  return async (objectKey, expiresInMs) => {
    const expiresIn = Math.ceil(expiresInMs / 1000);
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRY_SECONDS) {
      throw new AppError('internal', `a presigned URL lasts 1 s to 7 days, not ${expiresInMs} ms`);
    }
    const signedAt = now();
    const cacheKey = `${expiresIn} ${objectKey}`;
    const kept = reused.get(cacheKey);
    if (kept !== undefined && signedAt < kept.reuseUntil) return kept.url;
    const url = await getSignedUrl(signer, new GetObjectCommand({ Bucket: bucket, Key: objectKey }), { expiresIn, signingDate: new Date(signedAt) });
    reused.set(cacheKey, { url, reuseUntil: signedAt + (expiresIn * 1000) / 2 });
    return url;
  };
}
