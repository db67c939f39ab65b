import { Writable } from 'node:stream';
import { createLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { createIdentityService } from './create-identity-service';

describe('secrets never reach the log', () => {
  it('logs every identity event at trace level without passwords, token secrets or Authorization values', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const logger = createLogger({ name: 'identity-test', level: 'trace', destination });
    const identity = createIdentityService({
      store: new InMemoryBlobStore(), logger, allowSignup: true, rateLimit: { maxFailures: 2, windowMs: 60_000 },
    });
    const password = 'hunter2-but-longer';
    const wrongPassword = 'not-the-password-xyz';
    await identity.createUser({ name: 'alice', password });
    await identity.ensureAdmin('root', 'root-password-123');
    const { secret, info } = await identity.createToken('alice', { cidrWhitelist: ['10.0.0.0/8'] });
    const basic = Buffer.from(`alice:${password}`).toString('base64');
    await identity.authenticate(`Basic ${basic}`, '10.0.0.1');
    await identity.authenticate(`Bearer ${secret}`, '192.168.0.1'); // outside the whitelist: logged
    await identity.authenticate(`Basic ${Buffer.from(`__token__:${secret}`).toString('base64')}`, '10.0.0.1');
    await identity.verifyPassword('alice', wrongPassword, '10.0.0.2');
    await identity.verifyPassword('alice', wrongPassword, '10.0.0.2');
    await identity.verifyPassword('alice', password, '10.0.0.2').catch(() => undefined); // rate-limited
    await identity.revokeToken('alice', info.key);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(6); // user created ×2, token created, CIDR refusal, failed logins, revoked
    expect(log).toContain(info.key);
    for (const secretValue of [password, wrongPassword, 'root-password-123', secret, secret.slice(3), basic]) {
      expect(log).not.toContain(secretValue);
    }
  });
});
