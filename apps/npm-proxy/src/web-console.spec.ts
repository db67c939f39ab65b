import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { NO_USAGE_SNAPSHOT, storeUsageSnapshot, usageSnapshotOf } from '@registry/web-console/testing';
import { buildTestApp, publishBody, startHarness, type TestHarness } from './testing/harness';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();
const MALICIOUS_README = '# Widget\n\n<script>window.pwned = 1</script>\n\n<img src="x" onerror="window.pwned = 2">\n\n<a href="javascript:window.pwned = 3">click</a>\n\n<iframe src="/"></iframe>';

async function login(app: Express, name: string): Promise<string> {
  const res = await request(app).put(`/-/user/org.couchdb.user:${name}`).send({ _id: `org.couchdb.user:${name}`, name, password: 'correct-horse-battery', type: 'user', roles: [] }).expect(201);
  return res.body.token as string;
}

describe('npm-proxy web console (component, fixture upstream, injected clock)', () => {
  let harness: TestHarness;

  beforeAll(async () => {
    // WEB_CONSOLE_USAGE_RECHECK_MS=0: every page asks the store, so a snapshot stored by a test shows at once.
    harness = await startHarness({ env: { REGISTRY_MIN_RELEASE_AGE: '3d', WEB_CONSOLE_USAGE_RECHECK_MS: '0' }, now: () => NOW });
    harness.upstream.setPackage('cool-pkg', {
      '1.0.0': { tarball: randomBytes(300), publishedAt: ago(30), manifest: { description: 'a cool package', dependencies: { 'left-pad': '^1.0.0' } } },
      '2.0.0': { tarball: randomBytes(300), publishedAt: ago(1) },
    }, { latest: '2.0.0' });
    const many: Record<string, { tarball: Buffer; publishedAt: string }> = {};
    const tgz = randomBytes(50);
    for (let i = 0; i < 3000; i++) many[`1.${Math.floor(i / 100)}.${i % 100}`] = { tarball: tgz, publishedAt: new Date(NOW - (3005 - i) * DAY).toISOString() };
    harness.upstream.setPackage('many-versions', many, { latest: '1.29.99' });
    const token = await login(harness.app, 'alice');
    await request(harness.app).put('/@private%2fwidget').set('authorization', `Bearer ${token}`)
      .send(publishBody('@private/widget', '1.0.0', randomBytes(200), { readme: MALICIOUS_README, dependencies: { 'cool-pkg': '^1.0.0' } })).expect(201);
  });
  afterAll(() => harness.close());

  it('lists private packages on the search page, each linking to its package page, with a no-script policy', async () => {
    for (const path of ['/-/web/', '/-/web/?q=widget']) {
      const res = await request(harness.app).get(path).expect(200).expect('content-type', /text\/html/);
      expect(res.text).toContain('<a href="/-/web/package/@private/widget"><strong>@private/widget</strong></a>');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    }
    expect((await request(harness.app).get('/-/web/?q=nothing-like-this').expect(200)).text).toContain('No npm package matches.');
    expect(harness.audit.ofType('npm.search').map((e) => e.extra['operation'])).toContain('web');
  });

  it('renders a private package page with its README inert, dependencies, tarball facts and install commands', async () => {
    const res = await request(harness.app).get('/-/web/package/@private/widget').expect(200);
    expect(res.text).toContain('<h1>Widget</h1>');
    expect(res.text).not.toMatch(/<script|<iframe|onerror=|href="javascript:/i);
    expect(res.text).toContain('<a href="/-/web/package/cool-pkg">cool-pkg</a> <code>^1.0.0</code>');
    expect(res.text).toMatch(/<code>sha512-[A-Za-z0-9+/=]+<\/code>/);
    expect(res.text).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/@private\/widget\/-\/widget-1\.0\.0\.tgz"/);
    for (const cmd of ['npm install @private/widget', 'pnpm add @private/widget', 'yarn add @private/widget']) expect(res.text).toContain(cmd);
    expect(res.text).toContain('Published to this registry');
  });

  it('explains a version the firewall holds and shows what clients are served instead', async () => {
    const res = await request(harness.app).get('/-/web/package/cool-pkg').expect(200);
    expect(res.text).toContain('Held by the firewall');
    expect(res.text).toMatch(/<td class="break"><strong>2\.0\.0<\/strong><\/td><td>cooldown<\/td><td>[^<]*release-age cooldown[^<]*<\/td><td><time datetime="2026-03-12T12:00:00\.000Z">/);
    expect(res.text).toContain('<th scope="row">latest</th><td>1.0.0</td>');
    expect(res.text).toContain('Versions (1)');
    expect(res.text).toContain('a cool package');
  });

  it('lists the newest 50 of 3,000 versions, and all of them on request', async () => {
    const res = await request(harness.app).get('/-/web/package/many-versions').expect(200);
    expect(res.text).toContain('Versions (3000)');
    expect(res.text.match(/<tr><td>1\.\d+\.\d+/g)).toHaveLength(50);
    expect(res.text.indexOf('<tr><td>1.29.99')).toBeLessThan(res.text.indexOf('<tr><td>1.29.98'));
    expect(res.text).toContain('<a href="/-/web/package/many-versions?versions=all">Show all 3000 versions</a>');
    const all = await request(harness.app).get('/-/web/package/many-versions?versions=all').expect(200);
    expect(all.text.match(/<tr><td>1\.\d+\.\d+/g)).toHaveLength(3000);
  });

  it('answers an unknown package, a bad name and the stylesheet as pages', async () => {
    expect((await request(harness.app).get('/-/web/package/no-such-package').expect(404).expect('content-type', /text\/html/)).text).toContain('Error 404');
    expect((await request(harness.app).get('/-/web/package/%2e%2e').expect(400)).text).toContain('not a package name');
    expect((await request(harness.app).get('/-/web/no/such/page').expect(404).expect('content-type', /text\/html/)).text).toContain('no console page at /-/web/no/such/page');
    await request(harness.app).get('/-/web/console.css').expect(200).expect('content-type', /text\/css/);
  });

  it('says so when the upstream search failed, and still lists the packages published here', async () => {
    harness.upstream.setDown(true);
    try {
      const res = await request(harness.app).get('/-/web/?q=widget').expect(200);
      expect(res.text).toContain('The upstream search failed: only packages published here are listed.');
      expect(res.text).toContain('href="/-/web/package/@private/widget"');
    } finally {
      harness.upstream.setDown(false);
    }
  });

  it('shows usage from the lake\'s stored snapshot, and without one says that usage needs the lake and how to produce it', async () => {
    for (const path of ['/-/web/package/cool-pkg', '/-/web/usage']) expect((await request(harness.app).get(path).expect(200)).text).toMatch(NO_USAGE_SNAPSHOT);
    const snapshot = usageSnapshotOf(ago(3), [
      ['npm', 'cool-pkg', '1.0.0', 1, 0, 1, 0],
      ['npm', 'cool-pkg', '2.0.0', 2, 2, 0, 0],
      ['npm', '<script>x</script>', '1.0.0', 1, 0, 0, 1],
    ]);
    await storeUsageSnapshot(harness.store, snapshot);
    try {
      const page = await request(harness.app).get('/-/web/package/cool-pkg').expect(200);
      expect(page.text).toContain('<strong>3</strong> downloads: 2 from the cache, 1 from the upstream.');
      expect(page.text).toMatch(/<tr><td class="break">2\.0\.0<\/td><td>2<\/td><td>2<\/td><td>0<\/td><td>100\.0%<\/td>/);
      expect(page.text).toContain('This snapshot is 3 days old');
      const usage = await request(harness.app).get('/-/web/usage').expect(200);
      expect(usage.text).toContain('<tr><th scope="row">npm</th><td>4</td><td>2</td><td>1</td><td>66.7%</td><td>1</td></tr>');
      expect(usage.text).toContain('&lt;script&gt;x&lt;/script&gt;');
      expect(usage.text).not.toContain('<script>');
      await storeUsageSnapshot(harness.store, { ...snapshot, window_days: 'thirty' });
      expect((await request(harness.app).get('/-/web/package/cool-pkg').expect(200)).text).toContain('The usage snapshot could not be read: not a usage snapshot: window_days:');
    } finally {
      await harness.store.delete(USAGE_SNAPSHOT_KEY);
    }
  });

  it('asks for credentials when anonymous reads are off (the clients\' rule)', async () => {
    const closed = await buildTestApp({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient(), env: { NPM_ANONYMOUS_READ: 'false' } });
    const res = await request(closed).get('/-/web/').expect(401).expect('content-type', /text\/html/);
    expect(res.text).toContain('authentication required');
  });
});
