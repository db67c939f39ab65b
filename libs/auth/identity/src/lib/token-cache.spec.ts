import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createIdentityService } from './create-identity-service';

/** Two instances over one store, with a shared fake clock: the documented cross-instance revocation delay. */
const twoInstances = async (tokenCacheTtlMs: number) => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const store = new InMemoryBlobStore();
  const make = () => createIdentityService({ store, logger: silentLogger, allowSignup: true, tokenCacheTtlMs, clock: () => new Date(now) });
  const [a, b] = [make(), make()];
  await a.createUser({ name: 'alice', password: 'alice password' });
  return { a, b, advance: (ms: number) => { now += ms; } };
};

describe('verified-token cache', () => {
  it('revokes at once on the instance that revoked, even when it had the token cached', async () => {
    const { a } = await twoInstances(10_000);
    const { secret, info } = await a.createToken('alice');
    expect(await a.verifyToken(secret)).toBeDefined();
    await a.revokeToken('alice', info.key);
    expect(await a.verifyToken(secret)).toBeUndefined();
  });

  it('lets another instance honour a revoked token only until its cache entry expires', async () => {
    const { a, b, advance } = await twoInstances(10_000);
    const { secret, info } = await a.createToken('alice');
    expect(await b.verifyToken(secret)).toBeDefined(); // cached on b
    await a.revokeToken('alice', info.key);
    advance(9_999);
    expect(await b.verifyToken(secret)).toBeDefined();
    advance(1);
    expect(await b.verifyToken(secret)).toBeUndefined();
  });

  it('with the cache disabled, a revocation is seen by every instance at once', async () => {
    const { a, b } = await twoInstances(0);
    const { secret, info } = await a.createToken('alice');
    expect(await b.verifyToken(secret)).toBeDefined();
    await a.revokeToken('alice', info.key);
    expect(await b.verifyToken(secret)).toBeUndefined();
  });

  it('never caches a miss: a token created on one instance works on the other at once', async () => {
    const { a, b } = await twoInstances(10_000);
    expect(await b.verifyToken('rg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    const { secret } = await a.createToken('alice');
    expect(await b.verifyToken(secret)).toBeDefined();
  });

  it('checks the CIDR whitelist on every request, cached or not', async () => {
    const { a } = await twoInstances(10_000);
    const { secret } = await a.createToken('alice', { cidrWhitelist: ['10.0.0.0/8'] });
    expect(await a.verifyToken(secret, '10.1.1.1')).toBeDefined();
    expect(await a.verifyToken(secret, '192.168.1.1')).toBeUndefined();
    expect(await a.verifyToken(secret, '10.1.1.1')).toBeDefined();
  });
});
