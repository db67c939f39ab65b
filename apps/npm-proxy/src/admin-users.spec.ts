import request from 'supertest';
import type { Express } from 'express';
import { startHarness, type PrivateTestHarness } from './testing/harness';

const couch = (name: string) => `/-/user/org.couchdb.user:${name}`;
const login = async (app: Express, name: string, password: string): Promise<string> =>
  (await request(app).put(couch(name)).send({ name, password }).expect(201)).body.token as string;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** With sign-up closed (the deployed default), the admin brings in everyone else. */
describe('admin-created accounts (sign-up off)', () => {
  let harness: PrivateTestHarness;
  let root: string;
  beforeEach(async () => {
    harness = await startHarness({ upstream: false, env: { REGISTRY_ADMIN_USER: 'root', REGISTRY_ADMIN_PASSWORD: 'root-password-1', NPM_ALLOW_SIGNUP: 'false' } });
    root = await login(harness.app, 'root', 'root-password-1');
  });
  afterEach(() => harness.close());

  it('sign-up is refused, an admin creates the account, and its owner logs in with it', async () => {
    await request(harness.app).put(couch('alice')).send({ name: 'alice', password: 'alice-password-1' }).expect(403);
    const created = await request(harness.app).put('/-/admin/users/alice').set(bearer(root)).send({ password: 'alice-password-1', email: 'alice@example.test' }).expect(201);
    expect(created.body).toEqual({ ok: true, name: 'alice', roles: ['publisher'] });
    await login(harness.app, 'alice', 'alice-password-1');
    expect(harness.audit.ofType('npm.user.login').find((e) => e.extra['operation'] === 'admin-adduser')).toMatchObject({ status_code: 201, extra: { user: 'root', account: 'alice' } });
  });

  it('only admins create accounts, a taken name is a conflict, and a bad body is a 400', async () => {
    await request(harness.app).put('/-/admin/users/alice').set(bearer(root)).send({ password: 'alice-password-1' }).expect(201);
    const alice = await login(harness.app, 'alice', 'alice-password-1');
    await request(harness.app).put('/-/admin/users/mallory').set(bearer(alice)).send({ password: 'mallory-password-1', admin: true }).expect(403);
    await request(harness.app).put('/-/admin/users/mallory').send({ password: 'mallory-password-1' }).expect(401);
    await request(harness.app).put('/-/admin/users/alice').set(bearer(root)).send({ password: 'other-password-1' }).expect(409);
    await request(harness.app).put('/-/admin/users/bob').set(bearer(root)).send({ password: 42 }).expect(400);
    await request(harness.app).put(couch('mallory')).send({ name: 'mallory', password: 'mallory-password-1' }).expect(403);
  });

  it('an admin may create another admin', async () => {
    const created = await request(harness.app).put('/-/admin/users/ops').set(bearer(root)).send({ password: 'ops-password-12', admin: true }).expect(201);
    expect(created.body.roles).toEqual(['admin', 'publisher']);
  });
});
