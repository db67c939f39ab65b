import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { buildTestApp } from './testing/harness';

const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const DAY = 86_400_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();

describe('npm-proxy firewall: release-age cooldown (component, fixture upstream, injected clock)', () => {
  let upstream: FixtureRegistry;
  const tgz = { old: randomBytes(300), mid: randomBytes(300), young: randomBytes(300), beta: randomBytes(300) };

  beforeAll(async () => {
    upstream = await startFixtureRegistry();
  });
  afterAll(() => upstream.close());
  beforeEach(() => {
    upstream.setPackage('cool-pkg', {
      '1.0.0': { tarball: tgz.old, publishedAt: ago(30) },
      '1.1.0': { tarball: tgz.mid, publishedAt: ago(5) },
      '2.0.0-beta.1': { tarball: tgz.beta, publishedAt: ago(4) },
      '2.0.0': { tarball: tgz.young, publishedAt: ago(1) },
    }, { latest: '2.0.0', next: '2.0.0' });
  });

  const setup = async (env: Record<string, string> = { REGISTRY_MIN_RELEASE_AGE: '3d' }) => {
    const store = new InMemoryBlobStore();
    const audit = new RecordingAuditClient();
    const clock = { now: NOW };
    const app = await buildTestApp({ store, audit, upstreamUrl: upstream.url, env, now: () => clock.now });
    return { store, audit, app, clock };
  };

  it('hides young versions from full and abbreviated packuments and remaps dist-tags (latest never to a prerelease)', async () => {
    const { app, audit } = await setup();
    for (const accept of ['application/json', CORGI]) {
      const res = await request(app).get('/cool-pkg').set('accept', accept).expect(200);
      expect(Object.keys(res.body.versions).sort()).toEqual(['1.0.0', '1.1.0', '2.0.0-beta.1']);
      expect(res.body['dist-tags']).toEqual({ latest: '1.1.0', next: '1.1.0' });
      if (accept === 'application/json') expect(Object.keys(res.body.time)).not.toContain('2.0.0');
    }
    expect(audit.ofType('npm.package.metadata').map((e) => e.extra['policy'])).toEqual(['cooldown', 'cooldown']);
  });

  it('refuses a direct download of a held version with 403 naming the publish time and when it becomes available', async () => {
    const { app, audit } = await setup();
    const res = await request(app).get('/cool-pkg/-/cool-pkg-2.0.0.tgz').expect(403);
    expect(res.body.error).toContain(`was published at ${ago(1)}`);
    expect(res.body.error).toContain(`available from ${new Date(NOW + 2 * DAY).toISOString()}`);
    expect(res.body).toMatchObject({ policy: 'cooldown', available_at: new Date(NOW + 2 * DAY).toISOString() });
    await request(app).get('/cool-pkg/2.0.0').expect(403);
    await request(app).get('/cool-pkg/-/cool-pkg-1.1.0.tgz').expect(200);
    const refused = audit.ofType('npm.package.download').find((e) => e.status_code === 403);
    expect(refused).toMatchObject({ package: 'cool-pkg', version: '2.0.0', extra: { policy: 'cooldown' } });
    expect(audit.ofType('npm.package.download.upstream')[0]?.extra['policy']).toBeUndefined();
  });

  it('releases a version when the clock moves past its edge, with no restart and from the cached document', async () => {
    const { app, clock } = await setup();
    await request(app).get('/cool-pkg/-/cool-pkg-2.0.0.tgz').expect(403);
    clock.now = NOW + 2 * DAY;
    const res = await request(app).get('/cool-pkg').expect(200);
    expect(res.body['dist-tags']['latest']).toBe('2.0.0');
    await request(app).get('/cool-pkg/-/cool-pkg-2.0.0.tgz').expect(200);
  });

  it('changes nothing when the cooldown is off, or set to 0 for npm alone', async () => {
    const envs: Array<Record<string, string>> = [{}, { REGISTRY_MIN_RELEASE_AGE: '3d', NPM_MIN_RELEASE_AGE: '0' }];
    for (const env of envs) {
      const { app, audit } = await setup(env);
      const res = await request(app).get('/cool-pkg').expect(200);
      expect(res.body['dist-tags']['latest']).toBe('2.0.0');
      expect(audit.ofType('npm.package.metadata')[0]?.extra['policy']).toBeUndefined();
    }
  });

  it('lets an exemption through as a waiver (admin API), and it stops applying when it expires', async () => {
    const { app, audit, clock } = await setup({ REGISTRY_MIN_RELEASE_AGE: '3d', REGISTRY_ADMIN_USER: 'root', REGISTRY_ADMIN_PASSWORD: 'secret-pass' });
    const admin = `Basic ${Buffer.from('root:secret-pass').toString('base64')}`;
    await request(app).post('/-/policy/exemptions').send({ ecosystem: 'npm', package: 'cool-*', version: '2.0.0', reason: 'hotfix' }).expect(401);
    const created = await request(app).post('/-/policy/exemptions').set('authorization', admin)
      .send({ ecosystem: 'npm', package: 'cool-*', version: '2.0.0', reason: 'hotfix', expiresAt: new Date(NOW + DAY).toISOString() }).expect(201);
    expect(created.body).toMatchObject({ package: 'cool-*', version: '2.0.0', createdBy: 'root' });
    await request(app).get('/-/policy/exemptions').set('authorization', admin).expect(200)
      .expect((res) => expect(res.body.exemptions).toMatchObject([{ id: created.body.id, active: true }]));
    await request(app).get('/cool-pkg/-/cool-pkg-2.0.0.tgz').expect(200);
    expect(audit.ofType('npm.package.download.upstream')[0]?.extra['policy']).toBe('waiver');
    const doc = await request(app).get('/cool-pkg').expect(200);
    expect(doc.body['dist-tags']['latest']).toBe('2.0.0');
    clock.now = NOW + DAY;
    await request(app).get('/cool-pkg/-/cool-pkg-2.0.0.tgz').expect(403);
    await request(app).post('/-/policy/exemptions').set('authorization', admin).send({ ecosystem: 'npm', package: 'x y', reason: '' }).expect(400);
    await request(app).delete(`/-/policy/exemptions/${created.body.id}`).set('authorization', admin).expect(200);
    await request(app).get('/-/policy/exemptions').set('authorization', admin).expect(200).expect((res) => expect(res.body.exemptions).toEqual([]));
  });

  it('blocks a cached version once a malicious advisory reaches the feed: metadata, direct download, audit event', async () => {
    const feed = await mkdtemp(path.join(tmpdir(), 'osv-npm-'));
    try {
      const { app, audit } = await setup({ REGISTRY_ADVISORY_FEED: feed, REGISTRY_ADMIN_USER: 'root', REGISTRY_ADMIN_PASSWORD: 'secret-pass' });
      const admin = `Basic ${Buffer.from('root:secret-pass').toString('base64')}`;
      await request(app).get('/cool-pkg/-/cool-pkg-1.0.0.tgz').expect(200);
      await writeFile(path.join(feed, 'MAL-2026-1.json'), JSON.stringify({
        id: 'MAL-2026-1', summary: 'exfiltrates tokens', affected: [{ package: { ecosystem: 'npm', name: 'cool-pkg' }, versions: ['1.0.0'] }],
      }));
      await request(app).post('/-/policy/advisories/refresh').set('authorization', admin).expect(200).expect((res) => expect(res.body.records).toBe(1));
      const refused = await request(app).get('/cool-pkg/-/cool-pkg-1.0.0.tgz').expect(403);
      expect(refused.body).toMatchObject({ policy: 'advisory', advisory: 'MAL-2026-1' });
      expect(refused.body.error).toContain('reported as malicious');
      const doc = await request(app).get('/cool-pkg').expect(200);
      expect(Object.keys(doc.body.versions)).not.toContain('1.0.0');
      const event = audit.ofType('npm.package.download').find((e) => e.status_code === 403);
      expect(event).toMatchObject({ version: '1.0.0', extra: { policy: 'advisory', advisory: 'MAL-2026-1' } });
      const view = await request(app).get('/-/policy').set('authorization', admin).expect(200);
      expect(view.body.blocked).toEqual([expect.objectContaining({ package: 'cool-pkg', release: '1.0.0', policy: 'advisory', advisory: 'MAL-2026-1' })]);
      const bulk = await request(app).post('/-/npm/v1/security/advisories/bulk').send({ '@private/internal': ['1.0.0'] }).expect(200);
      expect(bulk.body).toEqual({});
    } finally {
      await rm(feed, { recursive: true, force: true });
    }
  });

  it('holds a version published without provenance after attested ones (no trust downgrade), extra.policy=provenance', async () => {
    upstream.setPackage('signed-pkg', {
      '1.0.0': { tarball: tgz.old, publishedAt: ago(30), attestations: Buffer.from('{"attestations":[]}') },
      '1.1.0': { tarball: tgz.mid, publishedAt: ago(20) },
    });
    const { app, audit } = await setup({ REGISTRY_PROVENANCE_RULES: 'no-downgrade:npm:signed-*' });
    const doc = await request(app).get('/signed-pkg').expect(200);
    expect(Object.keys(doc.body.versions)).toEqual(['1.0.0']);
    expect(doc.body['dist-tags']['latest']).toBe('1.0.0');
    const refused = await request(app).get('/signed-pkg/-/signed-pkg-1.1.0.tgz').expect(403);
    expect(refused.body.error).toContain('no trust downgrade');
    expect(audit.ofType('npm.package.download').find((e) => e.status_code === 403)?.extra['policy']).toBe('provenance');
    await request(app).get('/cool-pkg').expect(200).expect((res) => expect(res.body['dist-tags']['latest']).toBe('2.0.0'));
  });

  it('answers 410 with extra.policy=takedown for a cached version the upstream no longer lists (lockfile installs included)', async () => {
    const { app, audit } = await setup({ NPM_METADATA_TTL_MS: '0', NPM_METADATA_STALE_WHILE_REVALIDATE_MS: '0' });
    await request(app).get('/cool-pkg/-/cool-pkg-1.0.0.tgz').expect(200);
    upstream.removeVersion('cool-pkg', '1.0.0');
    const gone = await request(app).get('/cool-pkg/-/cool-pkg-1.0.0.tgz').expect(410);
    expect(gone.body).toMatchObject({ policy: 'takedown' });
    expect(audit.ofType('npm.package.download').find((e) => e.status_code === 410)?.extra['policy']).toBe('takedown');
    await request(app).get('/cool-pkg/-/cool-pkg-9.9.9.tgz').expect(404);
  });
});
