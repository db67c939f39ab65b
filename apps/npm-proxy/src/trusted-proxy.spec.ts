import request from 'supertest';
import { Registry } from 'prom-client';
import { loadConfig } from '@registry/shared-config';
import { createHttpMetrics } from '@registry/shared-http-server';
import { silentLogger } from '@registry/shared-logger';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { createApp, type RegistryApp } from './app';
import { NpmProxyEnv } from './config';
import { publishBody } from './testing/harness';

/** Forwarded headers count only from the peers TRUST_PROXY names; tarball URLs never take a forged host. */
describe('trusted proxies and reflected hosts', () => {
  let audit: RecordingAuditClient;
  let registry: RegistryApp | undefined;
  const app = () => registry!.app;
  const start = async (env: Record<string, string>) => {
    audit = new RecordingAuditClient();
    const config = loadConfig(NpmProxyEnv, { NPM_PRIVATE_SCOPES: '@private', ...env });
    const created = await createApp(config, { store: new InMemoryBlobStore(), audit, logger: silentLogger, metrics: createHttpMetrics('npm_tp', new Registry()) });
    registry = created;
    await created.identity.createUser({ name: 'alice', password: 'alice-password-123' });
    const token = (await created.identity.createToken('alice')).secret;
    await request(app()).put('/@private/pkg').set('Authorization', `Bearer ${token}`).send(publishBody('@private/pkg', '1.0.0', Buffer.from('tgz'))).expect(201);
    return created;
  };
  afterEach(async () => {
    await registry?.close();
    registry = undefined;
  });

  const fencedToken = async () => `Bearer ${(await registry!.identity.createToken('alice', { cidrWhitelist: ['10.9.9.9/32'] })).secret}`;
  const lastRemoteAddr = () => audit.events.at(-1)?.remote_addr;

  it.each(['true', 'yes', 'maybe', '10.0.0.0/33'])('refuses TRUST_PROXY=%s at start-up with a clear message', (value) => {
    expect(() => loadConfig(NpmProxyEnv, { TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('parses a hop count and a CIDR list', () => {
    expect(loadConfig(NpmProxyEnv, { TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig(NpmProxyEnv, { TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', 'loopback', '::1']);
    expect(loadConfig(NpmProxyEnv, {}).TRUST_PROXY).toBe(false);
  });

  it('ignores forwarded headers by default: forged address, fenced token and host all fail', async () => {
    await start({});
    const forged = { 'X-Forwarded-For': '10.9.9.9', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' };
    await request(app()).get('/@private/pkg').set(forged).set('Authorization', await fencedToken()).expect(401);
    expect(lastRemoteAddr()).not.toBe('10.9.9.9');
    const doc = await request(app()).get('/@private/pkg').set(forged).expect(200);
    expect(doc.body.versions['1.0.0'].dist.tarball).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(doc.headers['vary']).toContain('Host');
  });

  it('with one trusted hop takes the address the ingress appended, never the client-written entries before it', async () => {
    await start({ TRUST_PROXY: '1' });
    const viaIngress = { 'X-Forwarded-For': '10.9.9.9, 198.51.100.7' };
    await request(app()).get('/@private/pkg').set(viaIngress).set('Authorization', await fencedToken()).expect(401);
    expect(lastRemoteAddr()).toBe('198.51.100.7');
    await request(app()).get('/@private/pkg').set({ 'X-Forwarded-For': '10.9.9.9' }).set('Authorization', await fencedToken()).expect(200);
  });

  it('with a CIDR list trusts no header from a peer outside it', async () => {
    await start({ TRUST_PROXY: '10.0.0.0/8' });
    await request(app()).get('/@private/pkg').set({ 'X-Forwarded-For': '10.9.9.9' }).set('Authorization', await fencedToken()).expect(401);
    expect(lastRemoteAddr()).not.toBe('10.9.9.9');
  });

  // The login limiter keys on the same req.ip as the audited address: a guesser cannot reset it by writing a new
  // X-Forwarded-For on every attempt, neither without a trusted proxy nor in front of one.
  const guessFrom = (forwardedFor: string) =>
    request(app()).put('/-/user/org.couchdb.user:alice').set('X-Forwarded-For', forwardedFor).send({ name: 'alice', password: 'wrong-password-000' });

  it.each([
    ['no trusted proxy', {}, (n: number) => `10.0.0.${n}`],
    ['one trusted hop', { TRUST_PROXY: '1' }, (n: number) => `10.0.0.${n}, 198.51.100.7`],
  ])('limits guesses with a forged X-Forwarded-For on each attempt (%s)', async (_, env, forwardedFor) => {
    await start(env);
    const statuses: number[] = [];
    for (let n = 1; n <= 11; n += 1) statuses.push((await guessFrom(forwardedFor(n))).status);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('reflects only an allowed Host, and never once a public URL is configured', async () => {
    await start({ NPM_ALLOWED_HOSTS: 'npm.corp:8082' });
    const ok = await request(app()).get('/@private/pkg').set('Host', 'npm.corp:8082').expect(200);
    expect(ok.body.versions['1.0.0'].dist.tarball).toMatch(/^http:\/\/npm\.corp:8082\//);
    const refused = await request(app()).get('/@private/pkg').set('Host', 'evil.example').expect(400);
    expect(refused.body.error).toContain('NPM_ALLOWED_HOSTS');
    await registry?.close();
    await start({ NPM_PUBLIC_URL: 'https://npm.example.com', TRUST_PROXY: '1' });
    const fixed = await request(app()).get('/@private/pkg').set({ Host: 'evil.example', 'X-Forwarded-Host': 'evil2.example' }).expect(200);
    expect(fixed.body.versions['1.0.0'].dist.tarball).toMatch(/^https:\/\/npm\.example\.com\//);
    expect(fixed.headers['vary']).not.toContain('Host');
  });
});
