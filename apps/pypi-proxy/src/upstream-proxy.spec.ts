import { once } from 'node:events';
import request from 'supertest';
import { makeWheel, startFixtureUpstream } from '@registry/pypi-testing';
import { startHarness, type TestHarness } from './testing/harness';

const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';
const alpha = makeWheel({ name: 'alpha', version: '1.0.0', requiresPython: '>=3.8' });
const alphaOld = makeWheel({ name: 'alpha', version: '0.9.0' });

describe('pypi-proxy as a pull-through cache', () => {
  let harness: TestHarness;

  beforeEach(async () => {
    harness = await startHarness();
    harness.upstream.setProject('alpha', [
      { filename: alpha.filename, bytes: alpha.bytes, requiresPython: '>=3.8', metadata: alpha.metadata as Buffer },
      { filename: alphaOld.filename, bytes: alphaOld.bytes, yanked: 'broken' },
      { filename: 'alpha-0.1.0-py3-none-any.whl', bytes: Buffer.from('x'), foreignOrigin: true },
    ]);
  });
  afterEach(() => harness.close());

  it('rewrites upstream file URLs to our own path, keeps hashes, yank reasons and metadata hashes, whatever host the upstream named', async () => {
    const res = await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.pypi.simple.v1+json');
    const page = JSON.parse(res.text);
    expect(page.files.map((f: { filename: string }) => f.filename)).toEqual(['alpha-0.1.0-py3-none-any.whl', alphaOld.filename, alpha.filename]);
    const [, old, current] = page.files;
    expect(current.url).toBe(`/files/alpha/${alpha.filename}`);
    expect(current.hashes).toEqual({ sha256: alpha.sha256 });
    expect(current['requires-python']).toBe('>=3.8');
    expect(current['core-metadata']).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(old.yanked).toBe('broken');
    expect(page.versions.sort()).toEqual(['0.1.0', '0.9.0', '1.0.0']);
    expect(page.meta['_last-serial']).toBe(4242); // the upstream's serial, kept
    expect(harness.audit.ofType('pypi.package.metadata')[0]).toMatchObject({ package: 'alpha', status_code: 200, source: 'upstream' });
  });

  it('fetches a file once, verifies it, then serves it from the store (zero upstream requests)', async () => {
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    const first = await request(harness.app).get(`/files/alpha/${alpha.filename}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(first.body as Buffer, alpha.bytes)).toBe(0);
    const before = harness.upstream.requests.length;
    const second = await request(harness.app).get(`/files/alpha/${alpha.filename}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(second.body as Buffer, alpha.bytes)).toBe(0);
    expect(second.headers['etag']).toBe(`"${alpha.sha256}"`);
    expect(harness.upstream.requests.length).toBe(before);
    const downloads = harness.audit.events.filter((e) => e.event_type.startsWith('pypi.package.download'));
    expect(downloads.map((e) => [e.event_type, e.source, e.status_code, e.size, e.version])).toEqual([
      ['pypi.package.download.upstream', 'upstream', 200, alpha.bytes.length, '1.0.0'],
      ['pypi.package.download', 'cache', 200, alpha.bytes.length, '1.0.0'],
    ]);
  });

  it('passes the upstream PEP 658 metadata through our own URL', async () => {
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    const res = await request(harness.app).get(`/files/alpha/${alpha.filename}.metadata`).expect(200);
    expect(res.text).toBe((alpha.metadata as Buffer).toString());
  });

  it.each(['truncate', 'corrupt'] as const)('does not cache a %s upstream file and succeeds after recovery', async (mode) => {
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    harness.upstream.fileMode = mode;
    await expect(request(harness.app).get(`/files/alpha/${alpha.filename}`).buffer(true).parse(binary)).rejects.toThrow();
    expect(await harness.store.head(`pypi/upstream/alpha/${alpha.filename}`)).toBeUndefined();
    harness.upstream.fileMode = 'ok';
    const res = await request(harness.app).get(`/files/alpha/${alpha.filename}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(res.body as Buffer, alpha.bytes)).toBe(0);
  });

  it('proxies the upstream root index (merged with what is here), cached: asked once for many requests', async () => {
    harness.upstream.setProject('beta', [{ filename: alphaOld.filename.replace('alpha', 'beta'), bytes: alphaOld.bytes }]);
    const first = await request(harness.app).get('/simple/').set('Accept', JSON_ACCEPT).expect(200);
    expect(JSON.parse(first.text).projects).toEqual([{ name: 'alpha' }, { name: 'beta' }]); // neither page fetched yet
    const html = await request(harness.app).get('/simple/').expect(200);
    expect(html.text).toContain('<a href="/simple/beta/">beta</a>');
    expect(harness.upstream.requests.filter((r) => r === 'GET /simple/')).toHaveLength(1);
  });

  it('fetches a file advertised on a host that is not configured from the configured files host, same path', async () => {
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    const res = await request(harness.app).get('/files/alpha/alpha-0.1.0-py3-none-any.whl').buffer(true).parse(binary).expect(200);
    expect((res.body as Buffer).toString()).toBe('x');
    expect(harness.upstream.requests).toContain('GET /packages/alpha/alpha-0.1.0-py3-none-any.whl');
  });

  it('keeps every cached file servable after the upstream URLs changed (the cache is keyed by what it is)', async () => {
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    await request(harness.app).get(`/files/alpha/${alpha.filename}`).expect(200);
    const moved = await startFixtureUpstream();
    try {
      harness = await harness.restart({ upstream: moved });
      const page = JSON.parse((await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200)).text);
      expect(page.files.map((f: { filename: string }) => f.filename)).toContain(alpha.filename);
      const res = await request(harness.app).get(`/files/alpha/${alpha.filename}`).buffer(true).parse(binary).expect(200);
      expect(Buffer.compare(res.body as Buffer, alpha.bytes)).toBe(0);
      expect(moved.requests.filter((r) => r.includes('/packages/'))).toEqual([]);
    } finally {
      await moved.stop();
    }
  });

  it('serves the last good page with a stale marker when the upstream fails, and reflects removals after refresh', async () => {
    harness = await harness.restart({ env: { PYPI_METADATA_TTL_MS: '0', PYPI_METADATA_STALE_WHILE_REVALIDATE_MS: '0' } });
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    harness.upstream.indexDown = true;
    const stale = await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    expect(stale.headers['x-registry-stale']).toBe('true');
    expect(stale.headers['warning']).toContain('110');
    // The failure marked the upstream unhealthy: copies are served at once until the background probe heals it.
    expect(harness.upstreamHealth?.state).toBe('unhealthy');
    const healed = once(harness.upstreamHealth!, 'transition');
    harness.upstream.indexDown = false;
    harness.upstream.setProject('alpha', [{ filename: alpha.filename, bytes: alpha.bytes }]);
    await healed;
    const fresh = await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    expect(fresh.headers['x-registry-stale']).toBeUndefined();
    expect(JSON.parse(fresh.text).files.map((f: { filename: string }) => f.filename)).toEqual([alpha.filename]);
  });

  it('revalidates with If-None-Match once the TTL passed', async () => {
    harness = await harness.restart({ env: { PYPI_METADATA_TTL_MS: '0', PYPI_METADATA_STALE_WHILE_REVALIDATE_MS: '0' } });
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    await request(harness.app).get('/simple/alpha/').set('Accept', JSON_ACCEPT).expect(200);
    expect(harness.upstream.requests.filter((r) => r === 'GET /simple/alpha/')).toHaveLength(2);
  });

  it('answers 404 for a project the upstream does not have', async () => {
    await request(harness.app).get('/simple/nothing-here/').expect(404);
    expect(harness.audit.ofType('pypi.package.metadata')[0]).toMatchObject({ package: 'nothing-here', status_code: 404 });
  });
});

/** superagent parser that keeps the body as bytes (its stream is the IncomingMessage). */
const binary = ((res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks as unknown as Uint8Array[])));
  res.on('error', (err) => done(err as Error, Buffer.alloc(0)));
}) as unknown as Parameters<request.Test['parse']>[0];
