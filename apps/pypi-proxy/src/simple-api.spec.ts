import request from 'supertest';
import { makeWheel } from '@registry/pypi-testing';
import { startHarness, type TestHarness } from './testing/harness';

const PIP_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01';
const files = Array.from({ length: 2000 }, (_, i) => makeWheel({ name: 'big', version: `1.0.${i}` }));

describe('simple API negotiation, redirects and conditional requests', () => {
  let harness: TestHarness;

  beforeAll(async () => {
    harness = await startHarness();
    harness.upstream.setProject('big', files.map((f) => ({ filename: f.filename, bytes: f.bytes })));
  });
  afterAll(() => harness.close());

  it.each([
    [PIP_ACCEPT, 'application/vnd.pypi.simple.v1+json'],
    ['application/vnd.pypi.simple.latest+json', 'text/html; charset=utf-8'],
    ['application/vnd.pypi.simple.v1+html', 'application/vnd.pypi.simple.v1+html; charset=utf-8'],
    ['*/*', 'text/html; charset=utf-8'],
    [undefined, 'text/html; charset=utf-8'],
  ])('Accept %s gets %s with Vary: Accept', async (accept, type) => {
    const req = request(harness.app).get('/simple/big/');
    if (accept) req.set('Accept', accept);
    const res = await req.expect(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['vary']).toContain('Accept');
  });

  it('serves HTML, as the upstream index does, when nothing acceptable is asked for', async () => {
    await request(harness.app).get('/simple/big/').set('Accept', 'application/json').expect(200).expect('content-type', 'text/html; charset=utf-8');
  });

  it('answers 404 for a name that cannot be a project, without asking the upstream', async () => {
    const count = harness.upstream.requests.length;
    await request(harness.app).get('/simple/-bad%20name-/').expect(404);
    await request(harness.app).get('/files/-bad-/x.whl').expect(404);
    expect(harness.upstream.requests.length).toBe(count);
  });

  it('redirects non-normalized names and a missing slash with 301', async () => {
    const res = await request(harness.app).get('/simple/BIG/').expect(301);
    expect(res.headers['location']).toBe('/simple/big/');
    expect((await request(harness.app).get('/simple/big').expect(301)).headers['location']).toBe('/simple/big/');
  });

  it('answers a matching If-None-Match with 304 and a different representation with a different ETag', async () => {
    const json = await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).expect(200);
    const html = await request(harness.app).get('/simple/big/').set('Accept', 'text/html').expect(200);
    expect(json.headers['etag']).not.toBe(html.headers['etag']);
    await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).set('If-None-Match', json.headers['etag'] as string).expect(304);
    await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).set('If-None-Match', '"other"').expect(200);
  });

  it('gzips large pages for clients that accept it, under a different ETag', async () => {
    const plain = await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).set('Accept-Encoding', 'identity').expect(200);
    const gzipped = await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).set('Accept-Encoding', 'gzip').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['vary']).toContain('Accept-Encoding');
    expect(gzipped.headers['etag']).not.toBe(plain.headers['etag']);
    expect(gzipped.text).toBe(plain.text);
    await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).set('Accept-Encoding', 'gzip')
      .set('If-None-Match', gzipped.headers['etag'] as string).expect(304);
  });

  it('serves a 2,000-file page from memory: the same bytes, without asking the upstream again', async () => {
    const first = await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).expect(200);
    const count = harness.upstream.requests.length;
    const second = await request(harness.app).get('/simple/big/').set('Accept', PIP_ACCEPT).expect(200);
    expect(JSON.parse(second.text).files).toHaveLength(2000);
    expect(second.text).toBe(first.text);
    expect(harness.upstream.requests.length).toBe(count);
  });

  it('lists known projects on the root page and records pypi.index.list', async () => {
    const res = await request(harness.app).get('/simple/').set('Accept', 'application/vnd.pypi.simple.v1+json').expect(200);
    expect(JSON.parse(res.text).projects).toEqual([{ name: 'big' }]);
    expect(harness.audit.ofType('pypi.index.list')).toHaveLength(1);
  });

  it('answers HEAD and Range requests on stored files', async () => {
    const file = files[0]!;
    await request(harness.app).get(`/files/big/${file.filename}`).expect(200);
    const head = await request(harness.app).head(`/files/big/${file.filename}`).expect(200);
    expect(head.headers['content-length']).toBe(String(file.bytes.length));
    expect(head.headers['accept-ranges']).toBe('bytes');
    const part = await request(harness.app).get(`/files/big/${file.filename}`).set('Range', 'bytes=0-3').expect(206);
    expect(part.headers['content-range']).toBe(`bytes 0-3/${file.bytes.length}`);
    const tail = await request(harness.app).get(`/files/big/${file.filename}`).set('Range', 'bytes=-22').expect(206);
    expect(tail.headers['content-range']).toBe(`bytes ${file.bytes.length - 22}-${file.bytes.length - 1}/${file.bytes.length}`);
  });
});
