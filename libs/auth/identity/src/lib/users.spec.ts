import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createIdentityService, type IdentityServiceOptions } from './create-identity-service';

const setup = (overrides: Partial<IdentityServiceOptions> = {}) => {
  const store = new InMemoryBlobStore();
  return { store, identity: createIdentityService({ store, logger: silentLogger, allowSignup: true, ...overrides }) };
};

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).code;
};

const keysIn = async (store: InMemoryBlobStore): Promise<string[]> => {
  const keys: string[] = [];
  for await (const key of store.list('')) keys.push(key);
  return keys;
};

describe('users', () => {
  it('creates a user who can then log in with the password, and only with it', async () => {
    const { identity } = setup();
    const user = await identity.createUser({ name: 'alice', password: 'correct horse', email: 'alice@example.test' });
    expect(user).toEqual({ name: 'alice', email: 'alice@example.test', roles: ['publisher'], createdAt: expect.any(String) });
    expect(await identity.getUser('alice')).toEqual(user);
    expect(await identity.verifyPassword('alice', 'correct horse')).toEqual(user);
    expect(await identity.verifyPassword('alice', 'wrong horse')).toBeUndefined();
    expect(await identity.verifyPassword('bob', 'correct horse')).toBeUndefined();
  });

  it('stores a salted scrypt hash with its parameters, never the password', async () => {
    const { store, identity } = setup();
    await identity.createUser({ name: 'alice', password: 'correct horse' });
    await identity.createUser({ name: 'bob', password: 'correct horse' });
    const docs = await Promise.all(['alice', 'bob'].map(async (n) => (await store.getDocument(`auth/users/${n}.json`))?.body.toString()));
    for (const doc of docs) {
      expect(doc).not.toContain('correct horse');
      expect(JSON.parse(doc ?? '{}').password).toMatchObject({ algorithm: 'scrypt', N: 16384, r: 8, p: 1 });
    }
    expect(JSON.parse(docs[0] ?? '').password.hash).not.toBe(JSON.parse(docs[1] ?? '').password.hash);
  });

  it('refuses sign-up when it is closed, and writes nothing', async () => {
    const { store, identity } = setup({ allowSignup: false });
    expect(await codeOf(identity.createUser({ name: 'alice', password: 'correct horse' }))).toBe('forbidden');
    expect(await keysIn(store)).toEqual([]);
  });

  it('answers conflict for a taken name and keeps the first password', async () => {
    const { identity } = setup();
    await identity.createUser({ name: 'alice', password: 'first password' });
    expect(await codeOf(identity.createUser({ name: 'alice', password: 'second password' }))).toBe('conflict');
    expect(await identity.verifyPassword('alice', 'first password')).toBeDefined();
  });

  it.each([
    ['Alice', 'correct horse', undefined],
    ['_alice', 'correct horse', undefined],
    ['__token__', 'correct horse', undefined],
    ['a/b', 'correct horse', undefined],
    ['a'.repeat(215), 'correct horse', undefined], // npm's 214-character limit
    ['alice', 'short', undefined],
    ['alice', 'correct horse', 'not-an-email'],
  ])('rejects name %j / password %j / email %j with invalid_request and writes nothing', async (name, password, email) => {
    const { store, identity } = setup();
    expect(await codeOf(identity.createUser({ name, password, email: email ?? null }))).toBe('invalid_request');
    expect(await keysIn(store)).toEqual([]);
  });

  it('lets exactly one of many concurrent sign-ups of the same name win', async () => {
    const { identity } = setup();
    const attempts = Array.from({ length: 8 }, (_, i) => identity.createUser({ name: 'race', password: `password-${i}` }));
    const results = await Promise.allSettled(attempts);
    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers.map((r) => (r.reason as AppError).code)).toEqual(Array(7).fill('conflict'));
    const winnerIndex = results.findIndex((r) => r.status === 'fulfilled');
    expect(await identity.verifyPassword('race', `password-${winnerIndex}`)).toBeDefined();
  });

  it('never accepts an old password after the stored hash changed (remembered successes are bound to the hash)', async () => {
    const { store, identity } = setup();
    await identity.createUser({ name: 'alice', password: 'old password' });
    await identity.createUser({ name: 'donor', password: 'new password' });
    expect(await identity.verifyPassword('alice', 'old password')).toBeDefined(); // now remembered
    const alice = JSON.parse((await store.getDocument('auth/users/alice.json'))?.body.toString() ?? '');
    const donor = JSON.parse((await store.getDocument('auth/users/donor.json'))?.body.toString() ?? '');
    await store.putDocument('auth/users/alice.json', Buffer.from(JSON.stringify({ ...alice, password: donor.password })));
    expect(await identity.verifyPassword('alice', 'old password')).toBeUndefined();
    expect(await identity.verifyPassword('alice', 'new password')).toBeDefined();
  });

  it('ensureAdmin creates the admin with sign-up closed; a second start keeps the admin and its password', async () => {
    const { identity } = setup({ allowSignup: false });
    const admin = await identity.ensureAdmin('root', 'admin password');
    expect(admin.roles).toEqual(['admin', 'publisher']);
    expect(await identity.ensureAdmin('root', 'ignored password')).toEqual(admin);
    expect(await identity.verifyPassword('root', 'admin password')).toEqual(admin);
  });

  it('ensureAdmin never promotes an account someone registered under the admin name first', async () => {
    const { store, identity } = setup();
    await identity.createUser({ name: 'admin', password: 'attacker password' });
    const before = await keysIn(store);
    const err = await identity.ensureAdmin('admin', 'operator password').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/REGISTRY_ADMIN_USER=admin names an existing account that is not an admin/);
    expect((await identity.getUser('admin'))?.roles).toEqual(['publisher']);
    expect(await keysIn(store)).toEqual(before);
  });
});
