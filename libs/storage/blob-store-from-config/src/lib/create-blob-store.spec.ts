import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@registry/shared-logger';
import { createBlobStore, downloadRedirectOf, type StorageSettings } from './create-blob-store';

const base: StorageSettings = { STORAGE_DOWNLOAD_REDIRECT: 'off', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: 300_000, STORAGE_DRIVER: 'fs', DATA_DIR: '', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: true, S3_VERIFY_CONDITIONAL_WRITES: false, STORAGE_PREFIX: '' };

describe('createBlobStore', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'store-config-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('builds a filesystem store under DATA_DIR', async () => {
    const store = await createBlobStore({ ...base, DATA_DIR: dir }, silentLogger);
    await store.putDocument('auth/users/a.json', Buffer.from('{}'));
    expect((await store.getDocument('auth/users/a.json'))?.body.toString()).toBe('{}');
    expect((await readdir(dir)).length).toBeGreaterThan(0);
  });

  it('keeps deployments apart with STORAGE_PREFIX', async () => {
    const a = await createBlobStore({ ...base, DATA_DIR: dir, STORAGE_PREFIX: 'team-a' }, silentLogger);
    const b = await createBlobStore({ ...base, DATA_DIR: dir, STORAGE_PREFIX: 'team-b' }, silentLogger);
    await a.putDocument('x.json', Buffer.from('a'));
    expect(await b.getDocument('x.json')).toBeUndefined();
  });

  it('offers download URLs on S3 only (STORAGE_DOWNLOAD_REDIRECT), signed for S3_PUBLIC_ENDPOINT when set', async () => {
    expect((await createBlobStore({ ...base, DATA_DIR: dir }, silentLogger)).downloadUrl).toBeUndefined();
    const s3 = await createBlobStore({
      ...base, STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'http://10.0.0.1:9000', S3_PUBLIC_ENDPOINT: 'https://objects.example.test',
      S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret', STORAGE_PREFIX: 'team-a',
    }, silentLogger);
    const url = await s3.downloadUrl?.('npm/a.tgz', { expiresInMs: 60_000 });
    expect(url).toMatch(/^https:\/\/objects\.example\.test\/b\/team-a\/npm\/a\.tgz\?/);
  });

  it('maps STORAGE_DOWNLOAD_REDIRECT to the services\' option', () => {
    expect(downloadRedirectOf({ STORAGE_DOWNLOAD_REDIRECT: 'off', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: 1_000 })).toEqual({});
    expect(downloadRedirectOf({ STORAGE_DOWNLOAD_REDIRECT: 'presigned', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: 1_000 })).toEqual({ downloadRedirect: { expiresInMs: 1_000 } });
  });

  it('refuses the s3 driver without a bucket', async () => {
    await expect(createBlobStore({ ...base, STORAGE_DRIVER: 's3' }, silentLogger)).rejects.toThrow(/S3_BUCKET/);
  });
});
