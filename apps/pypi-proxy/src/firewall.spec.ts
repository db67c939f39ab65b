import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { makeSdist, startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';
import { createHarness, type Harness } from './testing/harness';
import { ago, DAY, JSON_ACCEPT, NOW, old, young } from './testing/cooldown-project';

const youngSdist = makeSdist({ name: 'cool', version: '2.0.0' });

describe('pypi-proxy firewall: release-age cooldown (component, fixture upstream, injected clock)', () => {
  let upstream: FixtureUpstream;
  let harness: Harness;
  let audit: RecordingAuditClient;
  const clock = { now: NOW };

  const start = async (env: Record<string, string>) => {
    audit = new RecordingAuditClient();
    harness = await createHarness({ store: new InMemoryBlobStore(), audit, upstream, env, now: () => clock.now });
  };

  beforeEach(async () => {
    clock.now = NOW;
    upstream = await startFixtureUpstream();
    upstream.setProject('cool', [
      { filename: old.filename, bytes: old.bytes, metadata: old.metadata as Buffer, uploadTime: ago(30) },
      { filename: young.filename, bytes: young.bytes, metadata: young.metadata as Buffer, uploadTime: ago(1) },
      { filename: youngSdist.filename, bytes: youngSdist.bytes, uploadTime: ago(1) },
    ]);
  });
  afterEach(async () => {
    await harness.close();
    await upstream.stop();
  });

  it('hides young files from JSON and HTML pages, recomputes versions, and marks the event', async () => {
    await start({ REGISTRY_MIN_RELEASE_AGE: '3d' });
    const json = JSON.parse((await request(harness.app).get('/simple/cool/').set('Accept', JSON_ACCEPT).expect(200)).text);
    expect(json.files.map((f: { filename: string }) => f.filename)).toEqual([old.filename]);
    expect(json.versions).toEqual(['1.0.0']);
    const html = (await request(harness.app).get('/simple/cool/').set('Accept', 'text/html').expect(200)).text;
    expect(html).toContain(old.filename);
    expect(html).not.toContain(young.filename);
    expect(audit.ofType('pypi.package.metadata').map((e) => e.extra['policy'])).toEqual(['cooldown', 'cooldown']);
  });

  it('refuses a direct download (and its metadata) with 403 naming the publish time; the clock releases it without a restart', async () => {
    await start({ PYPI_MIN_RELEASE_AGE: '3d' });
    const res = await request(harness.app).get(`/files/cool/${young.filename}`).expect(403);
    expect(res.body.error).toContain(`was published at ${ago(1)}`);
    expect(res.body.error).toContain(`available from ${new Date(NOW + 2 * DAY).toISOString()}`);
    await request(harness.app).get(`/files/cool/${young.filename}.metadata`).expect(403);
    await request(harness.app).get(`/files/cool/${old.filename}`).expect(200);
    expect(audit.ofType('pypi.package.download').find((e) => e.status_code === 403)).toMatchObject({ package: 'cool', filename: young.filename, extra: { policy: 'cooldown' } });
    clock.now = NOW + 2 * DAY;
    await request(harness.app).get(`/files/cool/${young.filename}`).expect(200);
    const json = JSON.parse((await request(harness.app).get('/simple/cool/').set('Accept', JSON_ACCEPT).expect(200)).text);
    expect(json.versions.sort()).toEqual(['1.0.0', '2.0.0']);
  });

  it('changes nothing when off', async () => {
    await start({});
    const json = JSON.parse((await request(harness.app).get('/simple/cool/').set('Accept', JSON_ACCEPT).expect(200)).text);
    expect(json.files).toHaveLength(3);
    expect(audit.ofType('pypi.package.metadata')[0]?.extra['policy']).toBeUndefined();
  });

  it('lets an exemption from the admin API through as a waiver', async () => {
    await start({ REGISTRY_MIN_RELEASE_AGE: '3d' });
    await harness.identity.ensureAdmin('admin', 'admin-password-123');
    const auth = `Basic ${Buffer.from('admin:admin-password-123').toString('base64')}`;
    await request(harness.app).post('/-/policy/exemptions').send({ ecosystem: 'pypi', package: 'cool', reason: 'needed' }).expect(401);
    await request(harness.app).post('/-/policy/exemptions').set('authorization', auth).send({ ecosystem: 'pypi', package: 'cool', version: '2.0.0', reason: 'needed' }).expect(201);
    await request(harness.app).get(`/files/cool/${young.filename}`).expect(200);
    expect(audit.ofType('pypi.package.download.upstream')[0]?.extra['policy']).toBe('waiver');
    const view = await request(harness.app).get('/-/policy').set('authorization', auth).expect(200);
    expect(view.body.cooldown).toEqual({ minReleaseAge: '3d', undated: 'hold' });
    expect(view.body.exemptions).toMatchObject([{ package: 'cool', version: '2.0.0', active: true }]);
  });

  it('blocks a cached file once a malicious advisory (PEP 440 range) reaches the feed: page, file, metadata, audit event', async () => {
    const feed = await mkdtemp(path.join(tmpdir(), 'osv-pypi-'));
    try {
      await start({ REGISTRY_ADVISORY_FEED: `file://${feed}` });
      await harness.identity.ensureAdmin('admin', 'admin-password-123');
      const auth = `Basic ${Buffer.from('admin:admin-password-123').toString('base64')}`;
      await request(harness.app).get(`/files/cool/${young.filename}`).expect(200);
      await writeFile(path.join(feed, 'MAL-2026-2.json'), JSON.stringify({
        id: 'MAL-2026-2', affected: [{ package: { ecosystem: 'PyPI', name: 'Cool' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.10rc1' }, { introduced: '2.0' }] }] }],
      }));
      await request(harness.app).post('/-/policy/advisories/refresh').set('authorization', auth).expect(200);
      const refused = await request(harness.app).get(`/files/cool/${young.filename}`).expect(403);
      expect(refused.body).toMatchObject({ policy: 'advisory', advisory: 'MAL-2026-2' });
      await request(harness.app).get(`/files/cool/${young.filename}.metadata`).expect(403);
      await request(harness.app).get(`/files/cool/${old.filename}`).expect(200);
      const json = JSON.parse((await request(harness.app).get('/simple/cool/').set('Accept', JSON_ACCEPT).expect(200)).text);
      expect(json.files.map((f: { filename: string }) => f.filename)).toEqual([old.filename]);
      expect(json.versions).toEqual(['1.0.0']);
      expect(audit.ofType('pypi.package.metadata').at(-1)?.extra).toMatchObject({ policy: 'advisory', advisory: 'MAL-2026-2' });
      expect(audit.ofType('pypi.package.download').find((e) => e.status_code === 403)?.extra).toMatchObject({ policy: 'advisory', advisory: 'MAL-2026-2' });
    } finally {
      await rm(feed, { recursive: true, force: true });
    }
  });

  it('requires provenance where a rule says so: unattested files are held with extra.policy=provenance', async () => {
    upstream.setProject('cool', [
      { filename: old.filename, bytes: old.bytes, uploadTime: ago(30), provenance: Buffer.from('{"version":1,"attestation_bundles":[]}') },
      { filename: young.filename, bytes: young.bytes, uploadTime: ago(20) },
    ]);
    await start({ REGISTRY_PROVENANCE_RULES: 'required:pypi:cool' });
    const json = JSON.parse((await request(harness.app).get('/simple/cool/').set('Accept', JSON_ACCEPT).expect(200)).text);
    expect(json.files.map((f: { filename: string }) => f.filename)).toEqual([old.filename]);
    const refused = await request(harness.app).get(`/files/cool/${young.filename}`).expect(403);
    expect(refused.body).toMatchObject({ policy: 'provenance' });
    expect(audit.ofType('pypi.package.metadata')[0]?.extra['policy']).toBe('provenance');
  });

  it('answers 410 with extra.policy=takedown for a cached file removed upstream or of a quarantined project', async () => {
    await start({ PYPI_METADATA_TTL_MS: '0', PYPI_METADATA_STALE_WHILE_REVALIDATE_MS: '0' });
    await request(harness.app).get(`/files/cool/${young.filename}`).expect(200);
    await request(harness.app).get(`/files/cool/${old.filename}`).expect(200);
    upstream.setProject('cool', [{ filename: old.filename, bytes: old.bytes, uploadTime: ago(30) }]);
    expect((await request(harness.app).get(`/files/cool/${young.filename}`).expect(410)).body).toMatchObject({ policy: 'takedown' });
    await request(harness.app).get(`/files/cool/${old.filename}`).expect(200);
    upstream.setProjectStatus('cool', { status: 'quarantined' });
    await request(harness.app).get(`/files/cool/${old.filename}`).expect(410);
    expect(audit.ofType('pypi.package.download').filter((e) => e.status_code === 410).map((e) => e.extra['policy'])).toEqual(['takedown', 'takedown']);
  });
});
