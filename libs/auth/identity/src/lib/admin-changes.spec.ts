import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createIdentityService } from './create-identity-service';

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).code;
};

describe('admin changes to accounts, and token last use', () => {
  let now = Date.parse('2026-03-10T12:00:30Z');
  const setup = async () => {
    const store = new InMemoryBlobStore();
    // No token cache: a disabled account's token is refused at once (the cache's bound is its TTL).
    const identity = createIdentityService({ store, logger: silentLogger, allowSignup: true, tokenCacheTtlMs: 0, clock: () => new Date(now) });
    const root = await identity.ensureAdmin('root', 'root-password-1');
    const alice = await identity.createUser({ name: 'alice', password: 'alice-password-1' });
    return { store, identity, root, alice };
  };

  it('lists every user by name', async () => {
    const { identity } = await setup();
    expect((await identity.listUsers()).map((u) => u.name)).toEqual(['alice', 'root']);
  });

  it('disables an account (password and tokens refused) and enables it again', async () => {
    const { identity, root } = await setup();
    const { secret } = await identity.createToken('alice');
    const disabled = await identity.updateUserAsAdmin(root, 'alice', { disabled: true });
    expect(disabled.disabled).toBe(true);
    expect(await identity.verifyPassword('alice', 'alice-password-1')).toBeUndefined();
    expect(await identity.verifyToken(secret)).toBeUndefined();
    await identity.updateUserAsAdmin(root, 'alice', { disabled: false });
    expect((await identity.verifyToken(secret))?.user.name).toBe('alice');
  });

  it('gives and takes the admin role; never on the admin\'s own account, never by a non-admin, never for an unknown name', async () => {
    const { identity, root, alice } = await setup();
    expect((await identity.updateUserAsAdmin(root, 'alice', { admin: true })).roles).toEqual(['admin', 'publisher']);
    expect((await identity.updateUserAsAdmin(root, 'alice', { admin: false })).roles).toEqual(['publisher']);
    expect(await codeOf(identity.updateUserAsAdmin(root, 'root', { disabled: true }))).toBe('invalid_request');
    expect(await codeOf(identity.updateUserAsAdmin(alice, 'root', { disabled: true }))).toBe('forbidden');
    expect(await codeOf(identity.updateUserAsAdmin(root, 'nobody', { admin: true }))).toBe('not_found');
    expect(await codeOf(identity.updateUserAsAdmin(root, '../x', { admin: true }))).toBe('not_found');
  });

  it('records a token\'s last use to the minute, writing at most once a minute', async () => {
    const { store, identity } = await setup();
    const { secret, info } = await identity.createToken('alice');
    expect(info.lastUsed).toBeNull();
    await identity.verifyToken(secret);
    expect((await identity.listTokens('alice'))[0]?.lastUsed).toBe('2026-03-10T12:00:00.000Z');
    const writes = jest.spyOn(store, 'putDocument');
    now += 20_000;
    await identity.verifyToken(secret);
    expect(writes).not.toHaveBeenCalled();
    now += 60_000;
    await identity.verifyToken(secret);
    expect(writes).toHaveBeenCalledTimes(1);
    expect((await identity.listTokens('alice'))[0]?.lastUsed).toBe('2026-03-10T12:01:00.000Z');
  });
});
