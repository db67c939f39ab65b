import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { authenticateClaimed } from './claimed-user';
import { createIdentityService } from './create-identity-service';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('authenticateClaimed (who a request names, for its audit event)', () => {
  const setup = async () => {
    const identity = createIdentityService({ store: new InMemoryBlobStore(), logger: silentLogger, allowSignup: true, rateLimit: { maxFailures: 2, windowMs: 60_000 } });
    await identity.createUser({ name: 'alice', password: 'alice password' });
    const { secret } = await identity.createToken('alice');
    const { secret: fenced } = await identity.createToken('alice', { cidrWhitelist: ['192.0.2.0/24'] });
    const claims = async (header: string | undefined, remoteAddr = '198.51.100.7') => {
      const claimed: string[] = [];
      const result = await authenticateClaimed(identity, header, remoteAddr, (user) => claimed.push(user)).then((r) => r.kind, (err: Error) => err.message);
      return { result, claimed: [...new Set(claimed)] };
    };
    return { secret, fenced, claims };
  };

  it('names the user of a password, right or wrong, and the owner of a valid token', async () => {
    const { secret, claims } = await setup();
    expect(await claims(basic('alice', 'alice password'))).toEqual({ result: 'authenticated', claimed: ['alice'] });
    expect(await claims(basic('carol', 'wrong password'))).toEqual({ result: 'invalid', claimed: ['carol'] });
    expect(await claims(`Bearer ${secret}`)).toEqual({ result: 'authenticated', claimed: ['alice'] });
    expect(await claims(basic('__token__', secret))).toEqual({ result: 'authenticated', claimed: ['alice'] });
  });

  it('names the owner of a known token refused for its scope, nobody for an unknown one, never a secret', async () => {
    const { fenced, claims } = await setup();
    expect(await claims(`Bearer ${fenced}`)).toEqual({ result: 'invalid', claimed: ['alice'] });
    expect(await claims(`Bearer ${fenced}`, '192.0.2.7')).toEqual({ result: 'authenticated', claimed: ['alice'] });
    expect(await claims('Bearer rg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toEqual({ result: 'invalid', claimed: [] });
    expect(await claims(basic('__token__', 'rg_nope'))).toEqual({ result: 'invalid', claimed: [] });
    expect(await claims(undefined)).toEqual({ result: 'anonymous', claimed: [] });
    expect(await claims('Digest username="alice"')).toEqual({ result: 'invalid', claimed: [] });
  });

  it('names the user before the check, so a rate-limited attempt is still theirs; a name that is no user name is a placeholder', async () => {
    const { claims } = await setup();
    for (let i = 0; i < 2; i++) await claims(basic('alice', 'wrong password'));
    expect(await claims(basic('alice', 'alice password'))).toEqual({ result: 'too many login attempts; try again later', claimed: ['alice'] });
    expect(await claims(basic('<script>', 'x'), '203.0.113.9')).toEqual({ result: 'invalid', claimed: ['(invalid name)'] });
  });
});
