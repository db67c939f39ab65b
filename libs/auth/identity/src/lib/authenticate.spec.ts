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
