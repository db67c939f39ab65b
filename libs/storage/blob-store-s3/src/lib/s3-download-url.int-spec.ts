import { randomBytes, randomUUID } from 'node:crypto';
import { silentLogger } from '@registry/shared-logger';
import { requireServicesEnv } from '@registry/shared-testing';
import { putBlob } from '@registry/storage-blob-store/testing';
import { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';
import { createS3Client } from './s3-client';
import { s3DownloadUrls } from './s3-download-url';

/** Presigned download URLs (STORAGE_DOWNLOAD_REDIRECT) fetched from the real S3 server, as a client would. */
describe('S3 download URLs (real server from tools/services)', () => {
  const options = (): S3BlobStoreOptions => ({ ...requireServicesEnv().s3, prefix: `download-url-${randomUUID()}/`, logger: silentLogger });
  const bytes = randomBytes(300_000);

  it('serves the exact stored bytes to a client without credentials', async () => {
    const store = createS3BlobStore(options());
    await putBlob(store, 'pkg/a.tgz', bytes);
    const url = await store.downloadUrl?.('pkg/a.tgz', { expiresInMs: 60_000 });
    expect(url).toContain('X-Amz-Signature=');
    expect(url).toContain('X-Amz-Expires=60');
    const res = await fetch(url as string);
    expect(res.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), bytes)).toBe(0);
  });

  it('is refused once expired, and when its signature is altered', async () => {
    const opts = options();
    const store = createS3BlobStore(opts);
    await putBlob(store, 'pkg/b.tgz', bytes);
    // Signed in the past instead of waiting: 30 s ago for a minute is still valid, two minutes ago is not.
    const signedAgo = (ms: number) => s3DownloadUrls(createS3Client(opts), opts.bucket, () => Date.now() - ms)(`${opts.prefix}pkg/b.tgz`, 60_000);
    const valid = await fetch(await signedAgo(30_000));
    expect(valid.status).toBe(200);
    await valid.arrayBuffer();
    const expired = await fetch(await signedAgo(120_000));
    expect(expired.status).toBe(403);
    await expired.arrayBuffer();
    const url = new URL((await store.downloadUrl?.('pkg/b.tgz', { expiresInMs: 60_000 })) as string);
    const signature = url.searchParams.get('X-Amz-Signature') as string;
    url.searchParams.set('X-Amz-Signature', `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`);
    const altered = await fetch(url);
    expect(altered.status).toBe(403);
    await altered.arrayBuffer();
  });

  it('signs for S3_PUBLIC_ENDPOINT when clients reach the server by another host', async () => {
    const opts = options();
    const endpoint = new URL(opts.endpoint as string);
    // The same server by its other loopback name: a URL signed for the internal host would not match.
    const publicEndpoint = `${endpoint.protocol}//${endpoint.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${endpoint.port}`;
    const store = createS3BlobStore({ ...opts, publicEndpoint });
    await putBlob(store, 'pkg/c.tgz', bytes);
    const url = (await store.downloadUrl?.('pkg/c.tgz', { expiresInMs: 60_000 })) as string;
    expect(url.startsWith(`${publicEndpoint}/`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), bytes)).toBe(0);
  });
});
