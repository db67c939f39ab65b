import { randomUUID } from 'node:crypto';
import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { requireServicesEnv } from '@registry/shared-testing';
import { createS3BlobStore } from '@registry/storage-blob-store-s3';
import type { BlobStore } from '@registry/storage-blob-store';
import { createIdentityService, type ManagedIdentityService } from './create-identity-service';

/**
 * Two identity services with separate S3 clients stand for two proxy instances sharing one bucket: the
 * conditional create and compare-and-swap must hold on a real S3 server, not only in memory.
 */
describe('identity on a real S3 server (two instances)', () => {
  const prefix = `identity-int-${randomUUID()}/`;
  let stores: BlobStore[] = [];
  let a: ManagedIdentityService;
  let b: ManagedIdentityService;

  beforeAll(async () => {
    const { s3 } = requireServicesEnv();
    stores = [1, 2].map(() => createS3BlobStore({ ...s3, prefix, logger: silentLogger }));
    await Promise.all(stores.map((s) => s.ping()));
    [a, b] = stores.map((store) => createIdentityService({ store, logger: silentLogger, allowSignup: true })) as [ManagedIdentityService, ManagedIdentityService];
  });

  afterAll(async () => {
    const store = stores[0];
    if (store === undefined) return;
    for await (const key of store.list('')) await store.delete(key);
  });

  it('lets exactly one of two instances create the same user', async () => {
    const results = await Promise.allSettled([
      ...[1, 2, 3].map((i) => a.createUser({ name: 'race', password: `password-a${i}` })),
      ...[1, 2, 3].map((i) => b.createUser({ name: 'race', password: `password-b${i}` })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('conflict');
  });

  it('keeps every token when both instances create tokens for one user concurrently', async () => {
    await a.createUser({ name: 'alice', password: 'alice password' });
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).createToken('alice')));
    expect((await b.listTokens('alice')).map((t) => t.key).sort()).toEqual(made.map((m) => m.info.key).sort());
    for (const { secret } of made) expect((await a.authenticate(`Bearer ${secret}`)).kind).toBe('authenticated');
  });

  it('a token revoked on one instance stops working on the other', async () => {
    await a.createUser({ name: 'bob', password: 'bob password' });
    const { secret, info } = await a.createToken('bob');
    expect((await b.authenticate(`Bearer ${secret}`)).kind).toBe('authenticated');
    await b.revokeToken('bob', info.token);
    expect((await a.authenticate(`Bearer ${secret}`)).kind).toBe('invalid');
    expect(await a.listTokens('bob')).toEqual([]);
  });

  it('a password set on one instance logs in on the other', async () => {
    await b.createUser({ name: 'carol', password: 'carol password' });
    expect((await a.verifyPassword('carol', 'carol password'))?.name).toBe('carol');
    expect(await a.verifyPassword('carol', 'wrong password')).toBeUndefined();
  });
});
