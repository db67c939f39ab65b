import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { buildTestApp, publishBody, startHarness, type PrivateTestHarness } from './testing/harness';

const couch = (name: string) => `/-/user/org.couchdb.user:${name}`;
const signUp = async (app: Express, name: string, password = `${name}-password-1`): Promise<string> =>
  (await request(app).put(couch(name)).send({ name, password, email: `${name}@example.test` }).expect(201)).body.token as string;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('npm-proxy identity routes', () => {
  let harness: PrivateTestHarness;
  beforeEach(async () => {
    harness = await startHarness({ upstream: false, env: { REGISTRY_ADMIN_USER: 'root', REGISTRY_ADMIN_PASSWORD: 'root-password-1' } });
  });
  afterEach(() => harness.close());

  it('a sign-up is not a failed login: a dozen sign-ups from one address are never rate-limited', async () => {
    for (let i = 0; i < 12; i++) await signUp(harness.app, `newcomer${i}`);
  });

  it('repeated logins never exhaust the token cap (finding 10)', async () => {
    await signUp(harness.app, 'alice');
    for (let i = 0; i < 205; i++) {
      await request(harness.app).put(couch('alice')).send({ name: 'alice', password: 'alice-password-1' }).expect(201);
    }
  });

  it('npm 11 `--packages-and-scopes-permission=read-only` makes a read-only token; limits it cannot honour are refused', async () => {
    const token = await signUp(harness.app, 'alice');
    const created = await request(harness.app).post('/-/npm/v1/tokens').set(bearer(token))
      .send({ name: 'ci', password: 'alice-password-1', packages_and_scopes_permission: 'read-only' }).expect(200);
    expect(created.body.readonly).toBe(true);
    const readOnly = created.body.token as string;
    await request(harness.app).get('/-/whoami').set(bearer(readOnly)).expect(200);
    await request(harness.app).put('/ro-pkg').set(bearer(readOnly)).send(publishBody('ro-pkg', '1.0.0', randomBytes(8))).expect(403);
    await request(harness.app).post('/-/npm/v1/tokens').set(bearer(token))
      .send({ password: 'alice-password-1', packages: ['one-pkg'], packages_and_scopes_permission: 'read-write' }).expect(400);
    await request(harness.app).post('/-/npm/v1/tokens').set(bearer(token))
      .send({ password: 'alice-password-1', packages_and_scopes_permission: 'no-access' }).expect(400);
    const listed = await request(harness.app).get('/-/npm/v1/tokens').set(bearer(token)).expect(200);
    expect(listed.body.objects.filter((t: { readonly: boolean }) => t.readonly)).toHaveLength(1);
  });

  it('a user record (with its e-mail) is visible only to its owner and to admins (finding 4)', async () => {
    const alice = await signUp(harness.app, 'alice');
    const bob = await signUp(harness.app, 'bob');
    const root = (await request(harness.app).put(couch('root')).send({ name: 'root', password: 'root-password-1' }).expect(201)).body.token as string;
    await request(harness.app).get(couch('alice')).expect(404);
    await request(harness.app).get(couch('alice')).set(bearer(bob)).expect(404);
    expect((await request(harness.app).get(couch('alice')).set(bearer(alice)).expect(200)).body).toEqual({ name: 'alice', email: 'alice@example.test' });
    expect((await request(harness.app).get(couch('alice')).set(bearer(root)).expect(200)).body.email).toBe('alice@example.test');
  });

  it('refuses to start when REGISTRY_ADMIN_USER names an account someone else registered (finding 3)', async () => {
    const store = new InMemoryBlobStore();
    const open = await buildTestApp({ store, audit: new RecordingAuditClient() });
    await signUp(open, 'boss', 'attacker-password-1');
    await expect(buildTestApp({ store, audit: new RecordingAuditClient(), env: { REGISTRY_ADMIN_USER: 'boss', REGISTRY_ADMIN_PASSWORD: 'operator-password-1' } }))
      .rejects.toThrow(/REGISTRY_ADMIN_USER=boss names an existing account that is not an admin/);
  });
});
