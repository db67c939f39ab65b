import request from 'supertest';
import { FAKE_OBJECT_ORIGIN, PresigningBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { makeWheel, startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';
import { createHarness, type Harness } from './testing/harness';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (days: number): string => new Date(NOW - days * DAY).toISOString();
/** The configuration as main.ts reads it; the store is the fake with download URLs (the S3 adapter's are tested on S3). */
const REDIRECT = { STORAGE_DRIVER: 's3', S3_BUCKET: 'registry', STORAGE_DOWNLOAD_REDIRECT: 'presigned', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: '120000' };
const old = makeWheel({ name: 'redir', version: '1.0.0' });
const young = makeWheel({ name: 'redir', version: '2.0.0' });

describe('pypi-proxy download redirects (component, fixture upstream)', () => {
  let upstream: FixtureUpstream;
  const harnesses: Harness[] = [];

  beforeEach(async () => {
    upstream = await startFixtureUpstream();
    upstream.setProject('redir', [
      { filename: old.filename, bytes: old.bytes, metadata: old.metadata as Buffer, uploadTime: ago(30) },
      { filename: young.filename, bytes: young.bytes, metadata: young.metadata as Buffer, uploadTime: ago(1) },
    ]);
  });
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.close()));
    await upstream.stop();
  });

  const start = async (env: Record<string, string> = {}, store = new PresigningBlobStore()) => {
    const audit = new RecordingAuditClient();
    const harness = await createHarness({ store, audit, upstream, env: { ...REDIRECT, ...env }, now: () => NOW });
    harnesses.push(harness);
    return { app: harness.app, audit, store };
  };

  it('streams a miss and caches it, then answers the cached file and its metadata with a 302 to the object', async () => {
    const { app, audit } = await start();
    const file = `/files/redir/${old.filename}`;
    const miss = await request(app).get(file).buffer(true).expect(200);
    expect(Buffer.compare(miss.body as Buffer, old.bytes)).toBe(0);
    const hit = await request(app).get(file).redirects(0).expect(302);
    expect(hit.headers['location']).toMatch(new RegExp(`^${FAKE_OBJECT_ORIGIN}/pypi/.+/${old.filename.replace(/\./g, '\\.')}\\?expires-in-ms=120000$`));
    expect({ cache: hit.headers['cache-control'], etag: hit.headers['etag'], type: hit.headers['content-type'] }).toEqual({ cache: 'no-store', etag: undefined, type: undefined });
    const downloads = audit.events.filter((e) => e.event_type.startsWith('pypi.package.download'));
    expect(downloads.map((e) => [e.event_type, e.source, e.status_code, e.size, e.extra['delivery']])).toEqual([
      ['pypi.package.download.upstream', 'upstream', 200, old.bytes.length, undefined],
      ['pypi.package.download', 'cache', 302, old.bytes.length, 'redirect'],
    ]);
    await request(app).get(`${file}.metadata`).expect(200);
    const metadata = await request(app).get(`${file}.metadata`).redirects(0).expect(302);
    expect(metadata.headers['location']).toContain(`${old.filename}.metadata?`);
    expect(audit.ofType('pypi.package.metadata').at(-1)).toMatchObject({ source: 'cache', status_code: 302, size: (old.metadata as Buffer).length, extra: { delivery: 'redirect' } });
  });

  it('answers HEAD, Range and a matching If-None-Match itself', async () => {
    const { app } = await start();
    const file = `/files/redir/${old.filename}`;
    const first = await request(app).get(file).expect(200);
    expect((await request(app).head(file).expect(200)).headers['content-length']).toBe(String(old.bytes.length));
    const part = await request(app).get(file).set('range', 'bytes=0-3').buffer(true).expect(206);
    expect(Buffer.compare(part.body as Buffer, old.bytes.subarray(0, 4))).toBe(0);
    await request(app).get(file).set('if-none-match', String(first.headers['etag'])).expect(304);
  });

  it('refuses a held file even when it is cached, and answers 404 for a file the page does not offer', async () => {
    const store = new PresigningBlobStore();
    const before = await start({}, store);
    await request(before.app).get(`/files/redir/${young.filename}`).expect(200); // cached before the cooldown was set
    const held = await start({ PYPI_MIN_RELEASE_AGE: '3d' }, store);
    const refused = await request(held.app).get(`/files/redir/${young.filename}`).redirects(0).expect(403);
    expect(refused.headers['location']).toBeUndefined();
    expect(held.audit.ofType('pypi.package.download')[0]).toMatchObject({ status_code: 403, extra: { policy: 'cooldown' } });
    await request(held.app).get('/files/redir/redir-9.9.9-py3-none-any.whl').redirects(0).expect(404);
  });

  it('refuses at start-up to redirect from a store without URLs', async () => {
    await expect(start({ STORAGE_DRIVER: 'fs' })).rejects.toThrow(/STORAGE_DOWNLOAD_REDIRECT: presigned redirects need STORAGE_DRIVER=s3/);
  });
});
