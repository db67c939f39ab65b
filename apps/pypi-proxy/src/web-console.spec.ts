import request from 'supertest';
import { makeSdist, makeWheel, type BuiltDistribution } from '@registry/pypi-testing';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { accountWithSession, consoleBrowser, NO_USAGE_SNAPSHOT, storeUsageSnapshot, usageSnapshotOf } from '@registry/web-console/testing';
import { startHarness, type TestHarness } from './testing/harness';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const PASSWORD = 'alice-password-123';
const HOUR = 3_600_000;
const MALICIOUS_MARKDOWN = '# Demo\n\n<script>window.pwned = 1</script>\n\n<img src="x" onerror="window.pwned = 2">\n\n[click](javascript:window.pwned=3)\n\n<iframe src="/"></iframe>\n\nSafe **bold** text.';

describe('pypi-proxy web console (component, fixture upstream, injected clock)', () => {
  let harness: TestHarness;
  let token: string;
  let now = NOW;

  const upload = (dist: BuiltDistribution, name: string, version: string) => {
    const req = request(harness.app).post('/legacy/').set('Authorization', `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`);
    const isWheel = dist.filename.endsWith('.whl');
    const fields: Record<string, string> = {
      ':action': 'file_upload', protocol_version: '1', name, version, filetype: isWheel ? 'bdist_wheel' : 'sdist',
      pyversion: isWheel ? 'py3' : 'source', metadata_version: '2.1', sha256_digest: dist.sha256,
    };
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('content', dist.bytes, { filename: dist.filename, contentType: 'application/octet-stream' });
  };

  beforeAll(async () => {
    // WEB_CONSOLE_USAGE_RECHECK_MS=0: every page asks the store, so a snapshot stored by a test shows at once.
    harness = await startHarness({ env: { REGISTRY_MIN_RELEASE_AGE: '3d', REGISTRY_ADMIN_USER: 'root', REGISTRY_ADMIN_PASSWORD: PASSWORD, PYPI_CLAIMABLE_NAMES: 'acme-*', WEB_CONSOLE_USAGE_RECHECK_MS: '0', WEB_CONSOLE_SESSION_TTL_MS: String(HOUR) }, now: () => now });
    token = await harness.userToken('alice', PASSWORD);
    await upload(makeWheel({ name: 'demo-pkg', version: '1.0.0', summary: 'the old one' }), 'demo-pkg', '1.0.0').expect(200);
    await upload(makeWheel({
      name: 'demo-pkg', version: '2.0.0', summary: 'A <b>demo</b> package', requiresPython: '>=3.9', requiresDist: ['requests>=2.0', 'rich; extra == "cli"'],
      description: MALICIOUS_MARKDOWN, descriptionContentType: 'text/markdown',
    }), 'demo-pkg', '2.0.0').expect(200);
    await upload(makeWheel({ name: 'rst-pkg', version: '0.1', description: 'Title\n=====\n\n<script>alert(1)</script> and ``code``', descriptionContentType: 'text/x-rst' }), 'rst-pkg', '0.1').expect(200);
    await upload(makeSdist({ name: 'sdist-only', version: '1.0' }), 'sdist-only', '1.0').expect(200);
    const oldWheel = makeWheel({ name: 'demo-pkg', version: '1.0.0' }).filename;
    await request(harness.app).post(`/-/api/pypi/demo-pkg/${oldWheel}/yank`).auth('alice', PASSWORD).send({ reason: 'broken build' }).expect(200);
    const files = Array.from({ length: 3000 }, (_, i) => {
      const wheel = makeWheel({ name: 'many-versions', version: `1.${Math.floor(i / 100)}.${i % 100}` });
      return { filename: wheel.filename, bytes: wheel.bytes, uploadTime: new Date(NOW - (3005 - i) * DAY).toISOString() };
    });
    harness.upstream.setProject('many-versions', files);
    const fresh = makeWheel({ name: 'fresh-pkg', version: '1.0' });
    const old = makeWheel({ name: 'fresh-pkg', version: '0.9' });
    harness.upstream.setProject('fresh-pkg', [
      { filename: old.filename, bytes: old.bytes, metadata: old.metadata as Buffer, uploadTime: new Date(NOW - 30 * DAY).toISOString() },
      { filename: fresh.filename, bytes: fresh.bytes, metadata: fresh.metadata as Buffer, uploadTime: new Date(NOW - DAY).toISOString() },
    ]);
  });
  afterAll(() => harness.close());

  it('renders a project page from the newest release\'s core metadata, its Markdown description inert', async () => {
    const res = await request(harness.app).get('/-/web/project/demo-pkg').expect(200).expect('content-type', /text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).toContain('A &lt;b&gt;demo&lt;/b&gt; package');
    expect(res.text).toContain('<h1>Demo</h1>');
    expect(res.text).toContain('Safe <strong>bold</strong> text.');
    expect(res.text).not.toMatch(/<script|<iframe|onerror=|href="javascript:/i);
    expect(res.text).toContain('<code class="break">requests&gt;=2.0</code>');
    expect(res.text).toContain('<code class="break">rich; extra == &quot;cli&quot;</code>');
    expect(res.text).toContain('<code>&gt;=3.9</code>');
    for (const cmd of ['pip install --index-url', 'uv add --default-index', 'poetry add demo-pkg']) expect(res.text).toContain(cmd);
    expect(res.text).toContain('Uploaded to this index');
  });

  it('lists the newest release\'s files with size and sha256, and every version with its upload time and yanked state', async () => {
    const wheel = makeWheel({
      name: 'demo-pkg', version: '2.0.0', summary: 'A <b>demo</b> package', requiresPython: '>=3.9', requiresDist: ['requests>=2.0', 'rich; extra == "cli"'],
      description: MALICIOUS_MARKDOWN, descriptionContentType: 'text/markdown',
    });
    const res = await request(harness.app).get('/-/web/project/demo-pkg').expect(200);
    expect(res.text).toContain(`<a href="/files/demo-pkg/${wheel.filename}">${wheel.filename}</a>`);
    expect(res.text).toContain(`<code>${wheel.sha256}</code>`);
    expect(res.text).toMatch(/<tr><td>2\.0\.0<\/td><td><time datetime="[^"]+Z">[^<]+<\/time><\/td><td>1<\/td><td>served<\/td><\/tr>/);
    expect(res.text).toMatch(/<tr><td>1\.0\.0<\/td><td><time [^>]+>[^<]+<\/time><\/td><td>1<\/td><td><span class="tag">yanked<\/span> broken build<\/td><\/tr>/);
  });

  it('shows a reStructuredText description as escaped text, and says when there is no metadata to read', async () => {
    const rst = await request(harness.app).get('/-/web/project/rst-pkg').expect(200);
    expect(rst.text).toContain('<pre class="description-text">Title\n=====\n\n&lt;script&gt;alert(1)&lt;/script&gt; and ``code``</pre>');
    const sdist = await request(harness.app).get('/-/web/project/sdist-only').expect(200);
    expect(sdist.text).toContain('no core metadata file here');
  });

  it('explains the files the firewall holds, and redirects a non-normalized name', async () => {
    const res = await request(harness.app).get('/-/web/project/fresh-pkg').expect(200);
    expect(res.text).toContain('Held by the firewall');
    expect(res.text).toMatch(/<td class="break"><strong>fresh_pkg-1\.0-py3-none-any\.whl<\/strong><\/td><td>cooldown<\/td>/);
    expect(res.text).toContain('Versions (1)');
    expect(res.text).toContain('Cached from the upstream index');
    await request(harness.app).get('/-/web/project/Fresh_Pkg').expect(301).expect('location', '/-/web/project/fresh-pkg');
    await request(harness.app).get('/-/web/project/no-such-project').expect(404).expect('content-type', /text\/html/);
  });

  it('lists the newest 50 of 3,000 versions, and all of them on request', async () => {
    const res = await request(harness.app).get('/-/web/project/many-versions').expect(200);
    expect(res.text).toContain('Versions (3000)');
    expect(res.text.match(/<tr><td>1\.\d+\.\d+<\/td>/g)).toHaveLength(50);
    expect(res.text.indexOf('<tr><td>1.29.99</td>')).toBeLessThan(res.text.indexOf('<tr><td>1.29.98</td>'));
    const all = await request(harness.app).get('/-/web/project/many-versions?versions=all').expect(200);
    expect(all.text.match(/<tr><td>1\.\d+\.\d+<\/td>/g)).toHaveLength(3000);
  });

  it('searches project names (the JSON search the npm console asks, and the page), each hit linking to its page', async () => {
    const json = await request(harness.app).get('/-/web/search.json?q=demo').expect(200);
    expect(json.body).toEqual({ registry: 'pypi', total: 1, hits: [{ name: 'demo-pkg' }] });
    const page = await request(harness.app).get('/-/web/?q=pkg&registry=pypi').expect(200);
    expect(page.text).toContain('<a href="/-/web/project/demo-pkg"><strong>demo-pkg</strong></a>');
    const all = await request(harness.app).get('/-/web/?q=pkg').expect(200);
    expect(all.text).toContain('No npm console is configured here (WEB_CONSOLE_PEER_URL).');
    expect(harness.audit.ofType('pypi.index.list').map((e) => e.extra['operation'])).toContain('web');
  });

  it('logs in with the same account and lists the user\'s own projects', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.logIn('alice', PASSWORD);
    const account = await browser.agent.get('/-/web/account').expect(200);
    expect(account.text).toContain('<a href="/-/web/project/demo-pkg">demo-pkg</a>');
    expect(account.text).toContain('<a href="/-/web/project/rst-pkg">rst-pkg</a>');
    const created = await browser.post('/-/web/account/tokens', { description: 'twine', scope: 'publish' }).expect(201);
    expect(created.text).toContain('user <code>__token__</code>');
    await browser.post('/-/web/account/tokens', { description: 'forged', scope: 'publish' }, { csrf: '' }).expect(403);
  });

  it('shows usage from the lake\'s stored snapshot, and without one says that usage needs the lake and how to produce it', async () => {
    for (const path of ['/-/web/project/demo-pkg', '/-/web/usage']) expect((await request(harness.app).get(path).expect(200)).text).toMatch(NO_USAGE_SNAPSHOT);
    const at = (days: number) => new Date(NOW - days * DAY).toISOString();
    const snapshot = usageSnapshotOf(at(0.5), [
      ['pypi', 'demo-pkg', '2.0.0', 4, 0, 0, 4],
      ['pypi', 'demo-pkg', '1.0.0', 1, 0, 0, 1],
      ['npm', 'demo-pkg', '9.9.9', 7, 7, 0, 0],
    ]);
    await storeUsageSnapshot(harness.store, snapshot);
    try {
      const page = await request(harness.app).get('/-/web/project/demo-pkg').expect(200);
      expect(page.text).toContain('<strong>5</strong> downloads: 0 from the cache, 0 from the upstream, 5 of a private package.');
      expect(page.text).toMatch(/<tr><td class="break">2\.0\.0<\/td><td>4<\/td><td>0<\/td><td>0<\/td><td>–<\/td><td>4<\/td><\/tr>/);
      expect(page.text).not.toContain('9.9.9'); // the npm package of the same name is not this project
      expect(page.text).toContain('(12 h ago)');
      expect(page.text).not.toContain('This snapshot is');
      const usage = await request(harness.app).get('/-/web/usage').expect(200);
      expect(usage.text).toContain('Most downloaded PyPI packages');
      expect(usage.text).toContain('<a href="/-/web/project/demo-pkg">demo-pkg</a></td><td>5</td>');
    } finally {
      await harness.store.delete(USAGE_SNAPSHOT_KEY);
    }
  });

  it('tells an admin who may upload what, from the settings the upload enforces', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.logIn('root', PASSWORD);
    const admin = await browser.agent.get('/-/web/admin').expect(200);
    expect(admin.text).toContain('This registry has no name rules.');
    expect(admin.text).toContain('PYPI_CLAIMABLE_NAMES: acme-*');
    expect(admin.text).toContain('only its owners and admins may upload to it');
  });

  it('ends a session after WEB_CONSOLE_SESSION_TTL_MS, the cookie lasting as long; twine tokens live on', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.formToken();
    const login = await browser.post('/-/web/login', { name: 'alice', password: PASSWORD }).expect(303);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('registry_console_session=')) as string;
    expect(cookie).toMatch(/; Path=\/-\/web; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const session = cookie.split(';')[0] as string;
    const created = await browser.post('/-/web/account/tokens', { description: 'twine', scope: 'publish' }).expect(201);
    const twine = /id="new-token">([^<]+)</.exec(created.text)?.[1] as string;
    const basic = (secret: string) => `Basic ${Buffer.from(`__token__:${secret}`).toString('base64')}`;
    try {
      now = NOW + HOUR - 60_000;
      expect(await accountWithSession(harness.app, session)).toEqual({ status: 200, ended: false, cookieCleared: false });
      now = NOW + HOUR;
      expect(await accountWithSession(harness.app, session)).toEqual({ status: 401, ended: true, cookieCleared: true });
      now = NOW + 400 * 24 * HOUR;
      await request(harness.app).get('/simple/demo-pkg/').set('authorization', basic(twine)).expect(200);
      await request(harness.app).get('/simple/demo-pkg/').set('authorization', basic(token)).expect(200);
      await request(harness.app).get('/-/web/account').set('cookie', await consoleBrowser(harness.app).logIn('alice', PASSWORD)).expect(200);
    } finally {
      now = NOW;
    }
  });

  it('records logins, tokens and the admin\'s user forms as the one login event of the shared identity, never a password or token', async () => {
    const browser = consoleBrowser(harness.app);
    await browser.formToken();
    harness.audit.clear();
    await browser.post('/-/web/login', { name: 'alice', password: 'not-the-password' }).expect(401);
    await browser.post('/-/web/login', { name: 'alice', password: PASSWORD }).expect(303);
    const created = await browser.post('/-/web/account/tokens', { description: 'audited', scope: 'read' }).expect(201);
    const secret = /id="new-token">([^<]+)</.exec(created.text)?.[1] as string;
    const key = /name="key" value="([^"]+)"/.exec(created.text.split('<tr>').find((r) => r.includes('audited')) as string)?.[1] as string;
    await browser.post('/-/web/account/tokens/revoke', { key }).expect(303);
    await browser.post('/-/web/logout', {}).expect(303);
    const root = consoleBrowser(harness.app);
    await root.logIn('root', PASSWORD);
    await root.post('/-/web/admin/users', { name: 'dave', password: 'dave-password-1' }).expect(200);
    await root.post('/-/web/admin/users/change', { name: 'dave', action: 'make-admin' }).expect(200);
    const events = harness.audit.events.filter((e) => e.extra['operation']?.startsWith('console-'));
    expect(events.map((e) => [e.event_type, e.extra['console'], e.extra['operation'], e.status_code, e.extra['user'], e.extra['account'] ?? null])).toEqual([
      ['npm.user.login', 'pypi', 'console-login', 401, 'alice', null],
      ['npm.user.login', 'pypi', 'console-login', 303, 'alice', null],
      ['npm.user.login', 'pypi', 'console-token-create', 201, 'alice', null],
      ['npm.user.login', 'pypi', 'console-token-revoke', 303, 'alice', null],
      ['npm.user.login', 'pypi', 'console-logout', 303, 'alice', null],
      ['npm.user.login', 'pypi', 'console-login', 303, 'root', null],
      ['npm.user.login', 'pypi', 'console-admin-adduser', 200, 'root', 'dave'],
      ['npm.user.login', 'pypi', 'console-admin-change', 200, 'root', 'dave'],
    ]);
    const text = JSON.stringify(harness.audit.events);
    for (const leaked of [PASSWORD, 'not-the-password', 'dave-password-1', secret]) expect(text).not.toContain(leaked);
  });
});
