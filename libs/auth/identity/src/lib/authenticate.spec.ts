import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createIdentityService } from './create-identity-service';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const setup = async () => {
  const identity = createIdentityService({ store: new InMemoryBlobStore(), logger: silentLogger, allowSignup: true });
  const alice = await identity.createUser({ name: 'alice', password: 'alice password' });
  const { secret, info } = await identity.createToken('alice', { readonly: true });
  return { identity, alice, secret, info };
};

describe('authenticate', () => {
  it('treats a missing or blank header as anonymous', async () => {
    const { identity } = await setup();
    expect(await identity.authenticate(undefined)).toEqual({ kind: 'anonymous' });
    expect(await identity.authenticate('  ')).toEqual({ kind: 'anonymous' });
  });

  it('accepts a Bearer token (npm) with any scheme case', async () => {
    const { identity, alice, secret, info } = await setup();
    const expected = { kind: 'authenticated', principal: { user: alice, via: 'token', tokenKey: info.key, readonly: true } };
    expect(await identity.authenticate(`Bearer ${secret}`)).toEqual(expected);
    expect(await identity.authenticate(`bearer ${secret}`)).toEqual(expected);
  });

  it('accepts Basic user:password (pip, twine) and Basic __token__:<token> (PyPI API tokens)', async () => {
    const { identity, alice, secret } = await setup();
    expect(await identity.authenticate(basic('alice', 'alice password'))).toEqual({
      kind: 'authenticated', principal: { user: alice, via: 'password', readonly: false },
    });
    expect(await identity.authenticate(basic('__token__', secret))).toMatchObject({
      kind: 'authenticated', principal: { via: 'token', readonly: true },
    });
  });

  it('passes the remote address to the token CIDR check', async () => {
    const { identity } = await setup();
    const { secret } = await identity.createToken('alice', { cidrWhitelist: ['192.0.2.0/24'] });
    expect((await identity.authenticate(`Bearer ${secret}`, '192.0.2.7')).kind).toBe('authenticated');
    expect((await identity.authenticate(`Bearer ${secret}`, '198.51.100.7')).kind).toBe('invalid');
  });

  it.each([
    ['a wrong password', basic('alice', 'wrong password')],
    ['an unknown user', basic('mallory', 'alice password')],
    ['an unknown token', 'Bearer rg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a wrong __token__', basic('__token__', 'rg_nope')],
    ['an unsupported scheme', 'Digest username="alice"'],
    ['no credentials after the scheme', 'Bearer'],
    ['Basic that is not base64', 'Basic !!!'],
    ['Basic without a colon', `Basic ${Buffer.from('alice').toString('base64')}`],
    ['Basic with an empty user', basic('', 'alice password')],
    ['extra words', 'Bearer a b'],
  ])('answers invalid for %s', async (_label, header) => {
    const { identity } = await setup();
    const result = await identity.authenticate(header);
    expect(result.kind).toBe('invalid');
  });
});

describe('failed-login rate limit', () => {
  const setupLimited = async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const identity = createIdentityService({
      store: new InMemoryBlobStore(), logger: silentLogger, allowSignup: true,
      rateLimit: { maxFailures: 3, windowMs: 60_000 }, clock: () => new Date(now),
    });
    await identity.createUser({ name: 'alice', password: 'alice password' });
    return { identity, advance: (ms: number) => { now += ms; } };
  };

  const rejection = async (p: Promise<unknown>): Promise<AppError> => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  };

  it('locks a user after repeated failures, even for the right password, with Retry-After, until the window slides', async () => {
    const { identity, advance } = await setupLimited();
    for (let i = 0; i < 3; i++) {
      expect(await identity.verifyPassword('alice', 'wrong', `10.0.0.${i}`)).toBeUndefined();
      advance(10_000);
    }
    const err = await rejection(identity.verifyPassword('alice', 'alice password', '10.0.0.9'));
    expect(err.code).toBe('too_many_requests');
    expect(err.headers['retry-after']).toBe('30'); // first failure at t=0 leaves the 60 s window at t=60 s; now t=30 s
    expect((await rejection(identity.authenticate(basic('alice', 'alice password')))).code).toBe('too_many_requests');
    advance(30_000);
    expect(await identity.verifyPassword('alice', 'alice password', '10.0.0.9')).toBeDefined();
  });

  it('locks a remote address that sprays many user names, without locking those users elsewhere', async () => {
    const { identity } = await setupLimited();
    for (const name of ['u1', 'u2', 'u3']) expect(await identity.verifyPassword(name, 'guess', '203.0.113.5')).toBeUndefined();
    expect((await rejection(identity.verifyPassword('alice', 'alice password', '203.0.113.5'))).code).toBe('too_many_requests');
    expect(await identity.verifyPassword('alice', 'alice password', '203.0.113.6')).toBeDefined();
  });

  it('clears a user’s failures after a successful login', async () => {
    const { identity } = await setupLimited();
    for (let i = 0; i < 2; i++) await identity.verifyPassword('alice', 'wrong');
    expect(await identity.verifyPassword('alice', 'alice password')).toBeDefined();
    for (let i = 0; i < 2; i++) await identity.verifyPassword('alice', 'wrong');
    expect(await identity.verifyPassword('alice', 'alice password')).toBeDefined();
  });
});
