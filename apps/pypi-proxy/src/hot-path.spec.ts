import request from 'supertest';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';
import { expectAnsweredAlike, sendEachBothWays, type Send } from '@registry/shared-http-server/testing';
import { createHarness, type Harness } from './testing/harness';
import { ago, JSON_ACCEPT, NOW, old, young } from './testing/cooldown-project';

const FILE = `/files/cool/${old.filename}`;

/** The kit's hot path (libs/shared/http-server README "Hot path") answers project pages and files exactly as Express's router does. */
describe('pypi-proxy hot path: the same answers as the Express path (component, fixture upstream)', () => {
  let upstream: FixtureUpstream;
  let harness: Harness;
  let audit: RecordingAuditClient;

  beforeEach(async () => {
    upstream = await startFixtureUpstream();
    upstream.setProject('cool', [
      { filename: old.filename, bytes: old.bytes, metadata: old.metadata as Buffer, uploadTime: ago(30) },
      { filename: young.filename, bytes: young.bytes, metadata: young.metadata as Buffer, uploadTime: ago(1) },
    ]);
    audit = new RecordingAuditClient();
    harness = await createHarness({ store: new InMemoryBlobStore(), audit, upstream, env: { REGISTRY_MIN_RELEASE_AGE: '3d' }, now: () => NOW });
    // Cached first, so both ways find the same state (a first request fills the cache: its event says `upstream`).
    await request(harness.app).get('/simple/cool/').expect(200);
    await request(harness.app).get(FILE).expect(200);
    await request(harness.app).get(`${FILE}.metadata`).expect(200);
  });
  afterEach(async () => {
    await harness.close();
    await upstream.stop();
  });
  const eachBothWays = (sends: Send[]) => sendEachBothWays(harness.app, () => audit.events, sends);

  it('answers pages alike: HTML (legacy and v1), JSON, gzip, 304, HEAD, a redirect and a project it does not know', async () => {
    const [json] = await eachBothWays([(r) => r.get('/simple/cool/').set('accept', JSON_ACCEPT).set('accept-encoding', 'identity')]);
    const etag = json?.hot.headers.etag as string;
    const answers = [json, ...(await eachBothWays([
      (r) => r.get('/simple/cool/'),
      (r) => r.get('/simple/cool/').set('accept', JSON_ACCEPT).set('accept-encoding', 'gzip'),
      (r) => r.get('/simple/cool/').set('accept', JSON_ACCEPT).set('accept-encoding', 'identity').set('if-none-match', etag),
      (r) => r.head('/simple/cool/').set('accept', JSON_ACCEPT),
      (r) => r.get('/simple/Cool'),
      (r) => r.get('/simple/cool/').set('accept', 'application/vnd.pypi.simple.v1+html'),
      (r) => r.get('/simple/nothing-here/'),
    ]))];
    expect(answers.map((a) => a?.hot.status)).toEqual([200, 200, 200, 304, 200, 301, 200, 404]);
    expect(answers[2]?.hot.headers['content-encoding']).toBe('gzip');
    expectAnsweredAlike(answers);
  });

  it('answers files alike: whole, 304 on the sha256 ETag, HEAD, ranges, metadata, a held version (403) and a missing file', async () => {
    const answers = await eachBothWays([
      (r) => r.get(FILE),
      (r) => r.get(FILE).set('if-none-match', `"${old.sha256}"`),
      (r) => r.head(FILE),
      (r) => r.get(FILE).set('range', 'bytes=0-99'),
      (r) => r.get(FILE).set('range', 'bytes=-64'),
      (r) => r.get(FILE).set('range', `bytes=${old.bytes.length}-`),
      (r) => r.get(`${FILE}.metadata`),
      (r) => r.get(`/files/cool/${young.filename}`),
      (r) => r.get('/files/cool/cool-9.9.9-py3-none-any.whl'),
    ]);
    expect(answers.map((a) => a.hot.status)).toEqual([200, 304, 200, 206, 206, 416, 200, 403, 404]);
    expect(answers[0]?.hot.body.equals(old.bytes)).toBe(true);
    expect(answers[3]?.hot.body.equals(old.bytes.subarray(0, 100))).toBe(true);
    expect(answers[7]?.hotEvents).toMatchObject([{ status_code: 403, extra: { policy: 'cooldown' } }]);
    expectAnsweredAlike(answers);
    for (const a of answers) expect(a.hotEvents).toHaveLength(1);
  });

  it('leaves requests with credentials, the root page and the kit\'s own routes to Express', async () => {
    const answers = await eachBothWays([
      (r) => r.get('/simple/cool/').set('authorization', `Basic ${Buffer.from('nobody:wrong-password').toString('base64')}`),
      (r) => r.get(FILE).set('authorization', `Basic ${Buffer.from('nobody:wrong-password').toString('base64')}`),
      (r) => r.get('/simple/'),
      (r) => r.get('/-/health'),
    ]);
    for (const a of answers) {
      expect(a.routerCallsOfHot).toBe(1);
      expect(a.hot).toEqual(a.express);
    }
  });
});
