import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { accountWithSession, consoleBrowser } from '@registry/web-console/testing';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { buildTestApp, publishBody, startHarness, type TestHarness } from './testing/harness';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const SESSION_TTL_MS = 12 * 3_600_000;
const PASSWORD = 'correct-horse-battery';

/** The other registry's console as far as this one uses it: its JSON search (the pypi-proxy spec checks the real one). */
async function startPeerSearch(): Promise<{ url: string; server: Server; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(`${req.url} ${req.headers.authorization ? 'with-session' : 'anonymous'}`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ registry: 'pypi', total: 1, hits: [{ name: 'requests', description: 'HTTP <b>for humans</b>' }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, asked };
}

describe('npm-proxy web console: login, account, tokens, admin (component)', () => {
  let harness: TestHarness;
  let peer: Awaited<ReturnType<typeof startPeerSearch>>;
  let now = NOW;

  beforeAll(async () => {
    peer = await startPeerSearch();
    harness = await startHarness({ env: { REGISTRY_MIN_RELEASE_AGE: '3d', REGISTRY_ADMIN_USER: 'root', REGISTRY_ADMIN_PASSWORD: PASSWORD, WEB_CONSOLE_PEER_URL: peer.url, NPM_PUBLISH_RULES: '@acme/*:alice|bob;legacy-*:*', NPM_CLAIMABLE_NAMES: 'acme-tools' }, now: () => now });
    harness.upstream.setPackage('cool-pkg', { '1.0.0': { tarball: randomBytes(30), publishedAt: new Date(NOW - 86_400_000).toISOString() } }, { latest: '1.0.0' });
    await harness.identity.createUser({ name: 'alice', password: PASSWORD });
    await request(harness.app).put('/@private%2fwidget').auth('alice', PASSWORD)
      .send(publishBody('@private/widget', '1.0.0', randomBytes(100))).expect(201);
  });
  afterAll(async () => {
    await harness.close();
    await new Promise((resolve) => peer.server.close(resolve));
  });

  it('logs in with the form into an HttpOnly, SameSite=Strict session cookie that lasts as long as its session and shows the account with the user\'s packages', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.formToken();
    const res = await browser.post('/-/web/login', { name: 'alice', password: PASSWORD }).expect(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('registry_console_session='));
    expect(cookie).toMatch(/; Path=\/-\/web; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const account = await browser.agent.get('/-/web/account').expect(200);
    expect(account.headers['cache-control']).toBe('private, no-store');
    expect(account.text).toContain('Your account (alice)');
    expect(account.text).toContain('<a href="/-/web/package/@private/widget">@private/widget</a>');
    expect(account.text).toContain('web console login');
    // The login's own token says when it ends; tokens made for clients work until revoked.
    expect(account.text).toContain(`<td><time datetime="${new Date(NOW + SESSION_TTL_MS).toISOString()}">`);
  });

  it('marks the console\'s cookies Secure when it is reached over https (as a trusted proxy says), never otherwise', async () => {
    const page = await request(harness.app).get('/-/web/login').set('x-forwarded-proto', 'https').expect(200);
    // TRUST_PROXY is off here, so a forwarded protocol is not believed: no Secure over plain http.
    expect(String(page.headers['set-cookie'])).not.toContain('Secure');
    const behindProxy = await buildTestApp({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient(), env: { TRUST_PROXY: '1' } });
    const secure = await request(behindProxy).get('/-/web/login').set('x-forwarded-proto', 'https').expect(200);
    expect(String(secure.headers['set-cookie'])).toMatch(/^registry_console_form=[\w-]{43}; Path=\/-\/web; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('refuses a wrong password with the form again, and a form without its token or from another site with 403', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.formToken();
    const wrong = await browser.post('/-/web/login', { name: 'alice', password: 'not-the-password' }).expect(401);
    expect(wrong.text).toContain('Wrong user name or password.');
    expect(String(wrong.headers['set-cookie'] ?? '')).not.toContain('registry_console_session=');
    const forged = await browser.post('/-/web/login', { name: 'alice', password: PASSWORD }, { csrf: 'x'.repeat(43) }).expect(403);
    expect(forged.text).toContain('the form token is missing or does not match');
    await browser.post('/-/web/login', { name: 'alice', password: PASSWORD }, { headers: { 'sec-fetch-site': 'cross-site' } }).expect(403);
    await browser.post('/-/web/login', { name: 'alice', password: PASSWORD }, { headers: { origin: 'https://evil.example' } }).expect(403);
  });

  it('creates a read-only token shown once that npm can use, records its use, and revokes it so npm is refused', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.logIn('alice', PASSWORD);
    const created = await browser.post('/-/web/account/tokens', { description: 'ci read', scope: 'read' }).expect(201);
    const secret = /<code class="break" id="new-token">([^<]+)<\/code>/.exec(created.text)?.[1] as string;
    expect(secret).toBeDefined();
    expect((await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${secret}`).expect(200)).body).toEqual({ username: 'alice' });
    await request(harness.app).put('/@private%2fwidget').set('authorization', `Bearer ${secret}`).send(publishBody('@private/widget', '1.0.1', randomBytes(10))).expect(403);
    const account = await browser.agent.get('/-/web/account').expect(200);
    expect(account.text).not.toContain(secret);
    const row = account.text.split('<tr>').find((r) => r.includes('ci read')) as string;
    expect(row).toContain('read-only');
    // Created, and last used (to the minute) by the whoami above.
    expect(row.match(/<time datetime=/g)).toHaveLength(2);
    expect(row).not.toContain('never');
    const key = /name="key" value="([^"]+)"/.exec(row)?.[1] as string;
    await browser.post('/-/web/account/tokens/revoke', { key }, { csrf: 'wrong'.padEnd(43, 'x') }).expect(403);
    await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${secret}`).expect(200);
    await browser.post('/-/web/account/tokens/revoke', { key }).expect(303).expect('location', '/-/web/account');
    await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${secret}`).expect(401);
  });

  it('creates a publish token on request and refuses a form without a scope', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.logIn('alice', PASSWORD);
    await browser.post('/-/web/account/tokens', { description: 'no scope' }).expect(400);
    const created = await browser.post('/-/web/account/tokens', { description: 'release', scope: 'publish' }).expect(201);
    const secret = /id="new-token">([^<]+)</.exec(created.text)?.[1] as string;
    await request(harness.app).put('/@private%2fwidget').set('authorization', `Bearer ${secret}`).send(publishBody('@private/widget', '1.0.2', randomBytes(10))).expect(201);
  });

  it('logs out by revoking the session: the old cookie is then refused and cleared', async () => {
    const browser = consoleBrowser(harness.app);
    const session = await browser.logIn('alice', PASSWORD);
    await request(harness.app).get('/-/web/account').set('cookie', session).expect(200);
    await browser.post('/-/web/logout', {}).expect(303).expect('location', '/-/web/');
    const replay = await request(harness.app).get('/-/web/account').set('cookie', session).expect(401);
    expect(replay.text).toContain('Your session has ended: log in again.');
    expect(String(replay.headers['set-cookie'])).toContain('registry_console_session=; Path=/-/web; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(replay.headers['www-authenticate']).toBeUndefined();
  });

  it('answers the admin pages with 403 for a user who is not an admin, and asks anonymous callers to log in', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.logIn('alice', PASSWORD);
    expect((await browser.agent.get('/-/web/admin').expect(403)).text).toContain('the admin pages are for admins only');
    await browser.post('/-/web/admin/users', { name: 'mallory', password: PASSWORD }).expect(403);
    expect(await harness.identity.getUser('mallory')).toBeUndefined();
    const anonymous = await request(harness.app).get('/-/web/admin').expect(401);
    expect(anonymous.text).toContain('<a href="/-/web/login">Log in</a>');
  });

  it('lets an admin create, disable and promote users, and add and remove firewall exemptions', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.logIn('root', PASSWORD);
    // The firewall lists what it held in the documents it has served.
    await request(harness.app).get('/cool-pkg').expect(200);
    const admin = await browser.agent.get('/-/web/admin').expect(200);
    expect(admin.text).toContain('Held by the firewall now');
    expect(admin.text).toContain('<tr><td class="break"><code>@acme/*</code></td><td>alice, bob</td></tr>');
    expect(admin.text).toContain('<tr><td class="break"><code>legacy-*</code></td><td>any signed-in user</td></tr>');
    expect(admin.text).toContain('NPM_CLAIMABLE_NAMES: acme-tools');
    expect(admin.text).toMatch(/<td>npm<\/td><td class="break">cool-pkg<\/td><td class="break">1\.0\.0<\/td><td>cooldown<\/td>/);
    await browser.post('/-/web/admin/users', { name: 'bob', password: PASSWORD }, { headers: { 'sec-fetch-site': 'cross-site' } }).expect(403);
    await browser.post('/-/web/admin/users', { name: 'bob', password: PASSWORD }, { csrf: '' }).expect(403);
    expect(await harness.identity.getUser('bob')).toBeUndefined();
    expect((await browser.post('/-/web/admin/users', { name: 'bob', password: PASSWORD, email: 'bob@example.test' }).expect(200)).text).toContain('Created bob (publisher).');
    await request(harness.app).get('/-/whoami').auth('bob', PASSWORD).expect(200);
    await browser.post('/-/web/admin/users/change', { name: 'bob', action: 'disable' }).expect(200);
    await request(harness.app).get('/-/whoami').auth('bob', PASSWORD).expect(401);
    await browser.post('/-/web/admin/users/change', { name: 'bob', action: 'enable' }).expect(200);
    await browser.post('/-/web/admin/users/change', { name: 'bob', action: 'make-admin' }).expect(200);
    expect((await harness.identity.getUser('bob'))?.roles).toContain('admin');
    await browser.post('/-/web/admin/users/change', { name: 'root', action: 'disable' }).expect(400);
    await browser.post('/-/web/admin/users/change', { name: 'bob', action: 'explode' }).expect(400);

    await browser.post('/-/web/admin/exemptions', { ecosystem: 'npm', package: 'cool-pkg', policy: 'cooldown', reason: 'needed for the fix' }).expect(200);
    const policy = await request(harness.app).get('/-/policy').auth('root', PASSWORD).expect(200);
    const exemption = policy.body.exemptions.find((e: { package: string }) => e.package === 'cool-pkg');
    expect(exemption).toMatchObject({ reason: 'needed for the fix', createdBy: 'root' });
    await browser.post('/-/web/admin/exemptions', { ecosystem: 'npm', package: 'bad name!', policy: 'cooldown', reason: 'x' }).expect(400);
    await browser.post('/-/web/admin/exemptions/remove', { id: exemption.id }).expect(200);
    expect((await request(harness.app).get('/-/policy').auth('root', PASSWORD).expect(200)).body.exemptions).toEqual([]);
  });

  it('searches both registries: npm here, PyPI through the peer console\'s JSON search, each hit linking to its page', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.logIn('alice', PASSWORD);
    const all = await browser.agent.get('/-/web/?q=widget').expect(200);
    expect(all.text).toContain('<a href="/-/web/package/@private/widget"><strong>@private/widget</strong></a>');
    expect(all.text).toContain(`<a href="${peer.url}/-/web/project/requests"><strong>requests</strong></a>`);
    expect(all.text).toContain('HTTP &lt;b&gt;for humans&lt;/b&gt;');
    expect(peer.asked.at(-1)).toBe('/-/web/search.json?q=widget&from=0&size=20 with-session');
    const pypiOnly = await request(harness.app).get('/-/web/?q=req&registry=pypi').expect(200);
    expect(pypiOnly.text).not.toContain('<h2 id="results-npm">');
    expect(pypiOnly.text).toContain('<option value="pypi" selected>PyPI</option>');
    const npmOnly = await request(harness.app).get('/-/web/?q=widget&registry=npm').expect(200);
    expect(npmOnly.text).not.toContain('results-pypi');
    expect(npmOnly.text).toContain(`<a href="${peer.url}/-/web/">PyPI console</a>`);
  });

  it('answers the JSON search the peer console asks', async () => {
    const res = await request(harness.app).get('/-/web/search.json?q=widget').expect(200);
    expect(res.body).toMatchObject({ registry: 'npm', total: 1, hits: [{ name: '@private/widget', version: '1.0.2' }] });
  });

  it('ends a session after WEB_CONSOLE_SESSION_TTL_MS (default 12 h): refused like a revoked one, its cookie cleared; tokens live on', async () => {
    const browser = consoleBrowser(harness.app);
    const session = await browser.logIn('alice', PASSWORD);
    const created = await browser.post('/-/web/account/tokens', { description: 'outlives the session', scope: 'read' }).expect(201);
    const secret = /id="new-token">([^<]+)</.exec(created.text)?.[1] as string;
    const npmLogin = (await request(harness.app).put('/-/user/org.couchdb.user:alice').send({ name: 'alice', password: PASSWORD }).expect(201)).body.token as string;
    try {
      now = NOW + SESSION_TTL_MS - 60_000;
      expect(await accountWithSession(harness.app, session)).toEqual({ status: 200, ended: false, cookieCleared: false });
      now = NOW + SESSION_TTL_MS;
      expect(await accountWithSession(harness.app, session)).toEqual({ status: 401, ended: true, cookieCleared: true });
      // The same session token as a Bearer token is refused too: the identity service expired it, not the cookie.
      await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${session.split('=')[1] as string}`).expect(401);
      now = NOW + 30 * 86_400_000;
      expect((await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${secret}`).expect(200)).body).toEqual({ username: 'alice' });
      expect((await request(harness.app).get('/-/whoami').set('authorization', `Bearer ${npmLogin}`).expect(200)).body).toEqual({ username: 'alice' });
      // A fresh login works at once.
      const fresh = await consoleBrowser(harness.app).logIn('alice', PASSWORD);
      await request(harness.app).get('/-/web/account').set('cookie', fresh).expect(200);
    } finally {
      now = NOW;
    }
  });

  it('records every form that changes accounts or tokens as the clients\' login event, refusals included, never a password or token', async () => {
    const audit = harness.audit;
    const alice = consoleBrowser(harness.app);
    await alice.formToken();
    audit.clear();
    await alice.post('/-/web/login', { name: 'alice', password: 'wrong-password-1' }).expect(401);
    await alice.post('/-/web/login', { name: 'Not A Name', password: 'wrong-password-2' }).expect(401);
    const session = (await alice.post('/-/web/login', { name: 'alice', password: PASSWORD }).expect(303)).headers['set-cookie'] as unknown as string[];
    const created = await alice.post('/-/web/account/tokens', { description: 'audited', scope: 'publish' }).expect(201);
    const secret = /id="new-token">([^<]+)</.exec(created.text)?.[1] as string;
    const key = /name="key" value="([^"]+)"/.exec(created.text.split('<tr>').find((r) => r.includes('audited')) as string)?.[1] as string;
    await alice.post('/-/web/account/tokens/revoke', { key }).expect(303);
    await alice.post('/-/web/admin/users', { name: 'mallory', password: 'mallory-password' }).expect(403);
    await alice.post('/-/web/logout', {}).expect(303);
    const root = consoleBrowser(harness.app);
    await root.logIn('root', PASSWORD);
    await root.post('/-/web/admin/users', { name: 'carol', password: 'carol-password-1', admin: 'yes' }).expect(200);
    await root.post('/-/web/admin/users/change', { name: 'carol', action: 'disable' }, { csrf: '' }).expect(403);
    await root.post('/-/web/admin/users/change', { name: 'carol', action: 'disable' }).expect(200);
    await root.post('/-/web/admin/users/change', { name: 'carol', action: 'make-admin' }).expect(200);
    await root.post('/-/web/admin/users/change', { name: 'carol', action: 'explode' }).expect(400);

    const events = audit.events.filter((e) => e.extra['operation']?.startsWith('console-'));
    expect(events.every((e) => e.event_type === 'npm.user.login' && e.action === 'login' && e.extra['console'] === 'npm')).toBe(true);
    expect(events.map((e) => [e.extra['operation'], e.status_code, e.extra['user'], e.extra['account'] ?? e.extra['scope'] ?? e.extra['change'] ?? null])).toEqual([
      ['console-login', 401, 'alice', null],
      ['console-login', 401, '(invalid name)', null],
      ['console-login', 303, 'alice', null],
      ['console-token-create', 201, 'alice', 'publish'],
      ['console-token-revoke', 303, 'alice', null],
      // Not an admin: refused before the form is read, so the event names the caller and not the account.
      ['console-admin-adduser', 403, 'alice', null],
      ['console-logout', 303, 'alice', null],
      ['console-login', 303, 'root', null],
      ['console-admin-adduser', 200, 'root', 'carol'],
      ['console-admin-change', 403, 'root', 'carol'],
      ['console-admin-change', 200, 'root', 'carol'],
      ['console-admin-change', 200, 'root', 'carol'],
      ['console-admin-change', 400, 'root', 'carol'],
    ]);
    expect(events.filter((e) => e.extra['operation'] === 'console-admin-change').map((e) => e.extra['change'])).toEqual(['disable', 'disable', 'make-admin', undefined]);
    expect(events.find((e) => e.extra['account'] === 'carol' && e.extra['operation'] === 'console-admin-adduser')?.extra['admin']).toBe('true');
    const sessionSecret = decodeURIComponent(session.find((c) => c.startsWith('registry_console_session='))?.split(';')[0]?.split('=')[1] ?? '');
    const text = JSON.stringify(audit.events);
    for (const leaked of [PASSWORD, 'wrong-password-1', 'wrong-password-2', 'mallory-password', 'carol-password-1', secret, sessionSecret]) {
      expect(leaked.length).toBeGreaterThan(10);
      expect(text).not.toContain(leaked);
    }
  });
});
