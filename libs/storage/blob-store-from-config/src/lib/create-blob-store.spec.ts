import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@registry/shared-logger';
import { createBlobStore, type StorageSettings } from './create-blob-store';

const base: StorageSettings = { STORAGE_DOWNLOAD_REDIRECT: 'off', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: 300_000, STORAGE_DRIVER: 'fs', DATA_DIR: '', S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: true, S3_VERIFY_CONDITIONAL_WRITES: false, STORAGE_PREFIX: '' };

describe('createBlobStore', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'store-config-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('builds a filesystem store under DATA_DIR', async () => {
    const store = createBlobStore({ ...base, DATA_DIR: dir }, silentLogger);
    await store.putDocument('auth/users/a.json', Buffer.from('{}'));
    expect((await store.getDocument('auth/users/a.json'))?.body.toString()).toBe('{}');
    expect((await readdir(dir)).length).toBeGreaterThan(0);
  });

  it('keeps deployments apart with STORAGE_PREFIX', async () => {
    const a = createBlobStore({ ...base, DATA_DIR: dir, STORAGE_PREFIX: 'team-a' }, silentLogger);
    const b = createBlobStore({ ...base, DATA_DIR: dir, STORAGE_PREFIX: 'team-b' }, silentLogger);
    await a.putDocument('x.json', Buffer.from('a'));
    expect(await b.getDocument('x.json')).toBeUndefined();
  });

  it('refuses the s3 driver without a bucket', () => {
    expect(() => createBlobStore({ ...base, STORAGE_DRIVER: 's3' }, silentLogger)).toThrow(/S3_BUCKET/);
  });
});
