import request from 'supertest';
import { FAKE_OBJECT_ORIGIN, PresigningBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { serveCooldownPackage, NOW, tgz } from './testing/cooldown-package';
import { buildTestApp } from './testing/harness';

/** The configuration as main.ts reads it; the store is the fake with download URLs (the S3 adapter's are tested on S3). */
const REDIRECT = { STORAGE_DRIVER: 's3', S3_BUCKET: 'registry', STORAGE_DOWNLOAD_REDIRECT: 'presigned', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: '120000' };
const TARBALL = '/redir-pkg/-/redir-pkg-1.0.0.tgz';

describe('npm-proxy download redirects (component, fixture upstream)', () => {
  let upstream: FixtureRegistry;

  beforeAll(async () => {
    upstream = await startFixtureRegistry();
    serveCooldownPackage(upstream, 'redir-pkg');
  });
  afterAll(() => upstream.close());

  const setup = async (env: Record<string, string> = {}, store = new PresigningBlobStore()) => {
    const audit = new RecordingAuditClient();
    const app = await buildTestApp({ store, audit, upstreamUrl: upstream.url, env: { ...REDIRECT, ...env }, now: () => NOW });
    return { store, audit, app };
  };

  it('streams a miss and caches it, then answers the cached tarball with a 302 to its object', async () => {
    const { app, audit } = await setup();
    const miss = await request(app).get(TARBALL).buffer(true).expect(200);
    expect(Buffer.compare(miss.body as Buffer, tgz.old)).toBe(0);
    const hit = await request(app).get(TARBALL).redirects(0).expect(302);
    expect(hit.headers['location']).toMatch(new RegExp(`^${FAKE_OBJECT_ORIGIN}/npm/cache/redir-pkg-[0-9a-f]+/redir-pkg-1\\.0\\.0\\.tgz\\?expires-in-ms=120000$`));
    expect(hit.headers['cache-control']).toBe('no-store');
    expect({ type: hit.headers['content-type'], etag: hit.headers['etag'], ranges: hit.headers['accept-ranges'] }).toEqual({ type: undefined, etag: undefined, ranges: undefined });
    const [fetched, redirected] = audit.events.filter((e) => e.event_type.startsWith('npm.package.download'));
    expect(fetched).toMatchObject({ event_type: 'npm.package.download.upstream', source: 'upstream', status_code: 200, size: 3_000 });
    expect(redirected).toMatchObject({ event_type: 'npm.package.download', source: 'cache', status_code: 302, size: 3_000, version: '1.0.0', extra: { delivery: 'redirect' } });
  });

  it('answers HEAD and Range requests itself, from the stored copy', async () => {
    const { app, audit } = await setup();
    await request(app).get(TARBALL).expect(200);
    const head = await request(app).head(TARBALL).expect(200);
    expect(head.headers['content-length']).toBe('3000');
    const part = await request(app).get(TARBALL).set('range', 'bytes=0-9').buffer(true).expect(206);
    expect(Buffer.compare(part.body as Buffer, tgz.old.subarray(0, 10))).toBe(0);
    expect(audit.events.filter((e) => e.extra['delivery'] !== undefined)).toEqual([]);
  });

  it('refuses a held version even when it is cached, and answers 404 for a file the packument does not list', async () => {
    const store = new PresigningBlobStore();
    const before = await setup({}, store);
    await request(before.app).get('/redir-pkg/-/redir-pkg-2.0.0.tgz').expect(200); // cached before the cooldown was set
    const held = await setup({ REGISTRY_MIN_RELEASE_AGE: '3d' }, store);
    const refused = await request(held.app).get('/redir-pkg/-/redir-pkg-2.0.0.tgz').redirects(0).expect(403);
    expect(refused.headers['location']).toBeUndefined();
    expect(held.audit.ofType('npm.package.download')[0]).toMatchObject({ status_code: 403, extra: { policy: 'cooldown' } });
    await request(held.app).get('/redir-pkg/-/redir-pkg-9.9.9.tgz').redirects(0).expect(404);
  });

  it('refuses at start-up to redirect from a store without URLs', async () => {
    await expect(setup({ STORAGE_DRIVER: 'fs' })).rejects.toThrow(/STORAGE_DOWNLOAD_REDIRECT: presigned redirects need STORAGE_DRIVER=s3/);
  });
});
