import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createIdentityService } from './create-identity-service';

const setup = async () => {
  const store = new InMemoryBlobStore();
  const identity = createIdentityService({ store, logger: silentLogger, allowSignup: true });
  await identity.createUser({ name: 'alice', password: 'alice password' });
  return { store, identity };
};

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).code;
};

const allStoredText = async (store: InMemoryBlobStore): Promise<string> => {
  const parts: string[] = [];
  for await (const key of store.list('')) parts.push(key, (await store.getDocument(key))?.body.toString() ?? '');
  return parts.join('\n');
};

describe('tokens', () => {
  it('creates a token that authenticates its owner, is listed by key and prefix, and is stored only hashed', async () => {
    const { store, identity } = await setup();
    const { secret, info } = await identity.createToken('alice', { description: 'ci' });
    expect(secret).toMatch(/^rg_[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ user: 'alice', readonly: false, cidrWhitelist: [], description: 'ci', token: `${secret.slice(0, 6)}…` });
    expect(info.key).toMatch(/^[0-9a-f]{64}$/);
    expect(await identity.listTokens('alice')).toEqual([info]);
    expect(await identity.verifyToken(secret)).toEqual({
      user: await identity.getUser('alice'), via: 'token', tokenKey: info.key, readonly: false,
    });
    expect(await store.getDocument(`auth/tokens/${info.key}.json`)).toBeDefined();
    expect(await allStoredText(store)).not.toContain(secret);
    expect(await allStoredText(store)).not.toContain(secret.slice(3));
  });

  it('does not verify unknown, malformed or tampered tokens', async () => {
    const { identity } = await setup();
    const { secret } = await identity.createToken('alice');
    const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    for (const candidate of ['', 'rg_', 'nonsense', tampered, `${secret}x`]) {
      expect(await identity.verifyToken(candidate)).toBeUndefined();
    }
  });

  it('marks readonly tokens readonly in the principal', async () => {
    const { identity } = await setup();
    const { secret } = await identity.createToken('alice', { readonly: true });
    expect((await identity.verifyToken(secret))?.readonly).toBe(true);
  });

  it('honours the CIDR whitelist, including IPv4-mapped IPv6 client addresses, and fails closed without an address', async () => {
    const { identity } = await setup();
    const { secret } = await identity.createToken('alice', { cidrWhitelist: ['10.1.0.0/16', '2001:db8::/32'] });
    expect(await identity.verifyToken(secret, '10.1.2.3')).toBeDefined();
    expect(await identity.verifyToken(secret, '::ffff:10.1.2.3')).toBeDefined();
    expect(await identity.verifyToken(secret, '2001:db8::1')).toBeDefined();
    expect(await identity.verifyToken(secret, '10.2.0.1')).toBeUndefined();
    expect(await identity.verifyToken(secret, '::ffff:127.0.0.1')).toBeUndefined();
    expect(await identity.verifyToken(secret)).toBeUndefined();
  });

  it('rejects an invalid CIDR whitelist or an unknown user, and writes nothing', async () => {
    const { identity } = await setup();
    for (const cidr of ['10.0.0.0/33', 'not-an-ip', '10.0.0.0/', '::1/129', '1.2.3.4/8/9']) {
      expect(await codeOf(identity.createToken('alice', { cidrWhitelist: [cidr] }))).toBe('invalid_request');
    }
    expect(await codeOf(identity.createToken('nobody'))).toBe('not_found');
    expect(await identity.listTokens('alice')).toEqual([]);
  });

  it('revokes by key, by a key prefix, by the listed token prefix, and by the secret', async () => {
    const { store, identity } = await setup();
    const made = await Promise.all([1, 2, 3, 4].map(() => identity.createToken('alice')));
    const [byKey, byKeyPrefix, byListedPrefix, bySecret] = made as [typeof made[0], typeof made[0], typeof made[0], typeof made[0]];
    await identity.revokeToken('alice', byKey.info.key);
    await identity.revokeToken('alice', byKeyPrefix.info.key.slice(0, 10));
    await identity.revokeToken('alice', byListedPrefix.info.token);
    await identity.revokeToken('alice', bySecret.secret);
    expect(await identity.listTokens('alice')).toEqual([]);
    for (const { secret, info } of made) {
      expect(await identity.verifyToken(secret)).toBeUndefined();
      expect(await store.getDocument(`auth/tokens/${info.key}.json`)).toBeUndefined();
    }
  });

  it('answers not_found for a token the user does not have, and leaves other users tokens alone', async () => {
    const { identity } = await setup();
    await identity.createUser({ name: 'bob', password: 'bob password' });
    const bobs = await identity.createToken('bob');
    expect(await codeOf(identity.revokeToken('alice', bobs.info.key))).toBe('not_found');
    expect(await identity.verifyToken(bobs.secret)).toBeDefined();
  });

  it('lists every token when one user creates many concurrently (no lost update)', async () => {
    const { identity } = await setup();
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => identity.createToken('alice', { description: `t${i}` })));
    const listed = await identity.listTokens('alice');
    expect(listed.map((t) => t.key).sort()).toEqual(made.map((m) => m.info.key).sort());
    for (const { secret } of made) expect(await identity.verifyToken(secret)).toBeDefined();
  });

  it('keeps every surviving token when revocations and creations race', async () => {
    const { identity } = await setup();
    const first = await Promise.all([1, 2, 3, 4].map(() => identity.createToken('alice')));
    const [, created] = await Promise.all([
      Promise.all(first.map((t) => identity.revokeToken('alice', t.info.key))),
      Promise.all([1, 2, 3, 4].map(() => identity.createToken('alice'))),
    ]);
    expect((await identity.listTokens('alice')).map((t) => t.key).sort()).toEqual(created.map((t) => t.info.key).sort());
  });
});

describe('login sessions', () => {
  it('repeated logins never hit the token cap: the oldest sessions are revoked, explicit tokens are kept', async () => {
    const { identity } = await setup();
    const explicit = await identity.createToken('alice', { description: 'ci' });
    let first: string | undefined;
    for (let i = 0; i < 205; i++) {
      const { secret } = await identity.createToken('alice', { description: 'npm login', session: true });
      first ??= secret;
    }
    const listed = await identity.listTokens('alice');
    expect(listed.filter((t) => t.session)).toHaveLength(50);
    expect(listed.filter((t) => !t.session).map((t) => t.key)).toEqual([explicit.info.key]);
    expect(await identity.verifyToken(first ?? '')).toBeUndefined();
    expect(await identity.verifyToken(explicit.secret)).toBeDefined();
  });
});

describe('expiring tokens (web console sessions)', () => {
  const HOUR = 3_600_000;
  const setupWithClock = async () => {
    let now = Date.parse('2026-03-10T12:00:00Z');
    const identity = createIdentityService({ store: new InMemoryBlobStore(), logger: silentLogger, allowSignup: true, clock: () => new Date(now) });
    await identity.createUser({ name: 'alice', password: 'alice password' });
    return { identity, advance: (ms: number) => { now += ms; } };
  };

  it('works until its lifetime is over, then is refused like a revoked token, cached or not', async () => {
    const { identity, advance } = await setupWithClock();
    const { secret, info } = await identity.createToken('alice', { session: true, description: 'web console login', expiresInMs: 12 * HOUR });
    expect(info.expires).toBe('2026-03-11T00:00:00.000Z');
    expect((await identity.listTokens('alice'))[0]?.expires).toBe('2026-03-11T00:00:00.000Z');
    expect((await identity.verifyToken(secret))?.user.name).toBe('alice');
    advance(12 * HOUR - 1);
    expect((await identity.verifyToken(secret))?.user.name).toBe('alice');
    advance(1);
    // The verified-token cache still holds it (its 10 s have not passed since the last check): the expiry wins.
    expect(await identity.verifyToken(secret)).toBeUndefined();
    expect(await identity.authenticate(`Bearer ${secret}`)).toEqual({ kind: 'invalid', reason: 'unknown or revoked token' });
  });

  it('never expires npm and twine tokens or npm login sessions (no lifetime given)', async () => {
    const { identity, advance } = await setupWithClock();
    const explicit = await identity.createToken('alice', { description: 'ci' });
    const npmLogin = await identity.createToken('alice', { description: 'npm login', session: true });
    const console = await identity.createToken('alice', { description: 'web console login', session: true, expiresInMs: HOUR });
    advance(365 * 24 * HOUR);
    expect(explicit.info.expires).toBeNull();
    expect(await identity.verifyToken(explicit.secret)).toBeDefined();
    expect(await identity.verifyToken(npmLogin.secret)).toBeDefined();
    expect(await identity.verifyToken(console.secret)).toBeUndefined();
  });

  it('drops a user\'s expired sessions at the next login, and refuses a lifetime that is not a positive whole number', async () => {
    const { identity, advance } = await setupWithClock();
    const old = await identity.createToken('alice', { session: true, expiresInMs: HOUR });
    const kept = await identity.createToken('alice', { session: true, description: 'npm login' });
    advance(HOUR);
    const fresh = await identity.createToken('alice', { session: true, expiresInMs: HOUR });
    expect((await identity.listTokens('alice')).map((t) => t.key).sort()).toEqual([kept.info.key, fresh.info.key].sort());
    expect(old.info.key).not.toBe(fresh.info.key);
    for (const expiresInMs of [0, -1, 1.5, Number.NaN]) {
      expect(await codeOf(identity.createToken('alice', { session: true, expiresInMs }))).toBe('invalid_request');
    }
  });
});
