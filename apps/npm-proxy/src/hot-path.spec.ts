import { Registry } from 'prom-client';
import request from 'supertest';
import { createHttpMetrics } from '@registry/shared-http-server';
import { expectAnsweredAlike, sendBothWays, sendEachBothWays, type Send } from '@registry/shared-http-server/testing';
import type { WorldOptions } from '@registry/shared-testing';
import { serveCooldownPackage, NOW, tgz } from './testing/cooldown-package';
import { startHarness, type HarnessOptions, type TestHarness } from './testing/harness';

const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const OLD = '/cool-pkg/-/cool-pkg-1.0.0.tgz';
const HELD = '/cool-pkg/-/cool-pkg-2.0.0.tgz';

/** The kit's hot path (libs/shared/http-server README "Hot path") answers packuments and tarballs exactly as Express's router does. */
describe('npm-proxy hot path: the same answers as the Express path (component, fixture upstream)', () => {
  let harness: TestHarness;
  afterEach(() => harness.close());

  /** `NPM_PUBLIC_URL`: tarball URLs in packuments would otherwise name each test server's port. */
  const start = async (opts: WorldOptions<HarnessOptions> = {}) => {
    harness = await startHarness({ now: () => NOW, ...opts, env: { NPM_PUBLIC_URL: 'http://registry.test', ...opts.env } });
    serveCooldownPackage(harness.upstream, 'cool-pkg');
    return harness;
  };
  const setup = async () => {
    const { app, audit } = await start({ env: { REGISTRY_MIN_RELEASE_AGE: '3d' } });
    // Cached first, so both ways find the same state (a first request fills the cache: its event says `upstream`).
    await request(app).get('/cool-pkg').expect(200);
    await request(app).get(OLD).expect(200);
    const bothWays = (send: Send) => sendBothWays(app, () => audit.events, send);
    const eachBothWays = (sends: Send[]) => sendEachBothWays(app, () => audit.events, sends);
    return { bothWays, eachBothWays };
  };

  it('answers packuments alike: full, abbreviated, gzip, 304 on either ETag, HEAD, and a name it does not know', async () => {
    const { bothWays, eachBothWays } = await setup();
    const full = await bothWays((r) => r.get('/cool-pkg').set('accept', 'application/json'));
    const etag = full.hot.headers.etag as string;
    const gzip = await bothWays((r) => r.get('/cool-pkg').set('accept', CORGI).set('accept-encoding', 'gzip'));
    const cases: Send[] = [
      (r) => r.get('/cool-pkg').set('accept', CORGI),
      (r) => r.get('/cool-pkg').set('if-none-match', etag),
      (r) => r.get('/cool-pkg').set('accept', CORGI).set('accept-encoding', 'gzip').set('if-none-match', gzip.hot.headers.etag as string),
      (r) => r.head('/cool-pkg'),
      (r) => r.get('/%40scope%2Fmissing'),
      (r) => r.get('/no-such-package'),
    ];
    const answers = [full, gzip, ...(await eachBothWays(cases))];
    expect(answers.map((a) => a.hot.status)).toEqual([200, 200, 200, 304, 304, 200, 404, 404]);
    expect(gzip.hot.headers['content-encoding']).toBe('gzip');
    expectAnsweredAlike(answers);
    for (const a of answers) expect(a.hotEvents).toHaveLength(1);
  });

  it('answers tarballs alike: whole, HEAD, ranges, an unsatisfiable range, a held version (403) and a missing file', async () => {
    const { eachBothWays } = await setup();
    const cases: Send[] = [
      (r) => r.get(OLD),
      (r) => r.head(OLD),
      (r) => r.get(OLD).set('range', 'bytes=10-99'),
      (r) => r.get(OLD).set('range', 'bytes=-64'),
      (r) => r.get(OLD).set('range', 'bytes=5000-'),
      (r) => r.get(HELD),
      (r) => r.get('/cool-pkg/-/cool-pkg-9.9.9.tgz'),
    ];
    const answers = await eachBothWays(cases);
    expect(answers.map((a) => a.hot.status)).toEqual([200, 200, 206, 206, 416, 403, 404]);
    expect(answers[0]?.hot.body.equals(tgz.old)).toBe(true);
    expect(answers[2]?.hot.body.equals(tgz.old.subarray(10, 100))).toBe(true);
    expect(answers[5]?.hotEvents).toMatchObject([{ status_code: 403, extra: { policy: 'cooldown' } }]);
    expectAnsweredAlike(answers);
  });

  it('counts both ways under the same route label, status and bytes in the request metrics', async () => {
    const metrics = createHttpMetrics('npm_hot', new Registry());
    const { app, audit } = await start({ metrics });
    await request(app).get(OLD).expect(200);
    const [pair] = await sendEachBothWays(app, () => audit.events, [(r) => r.get(OLD)]);
    expect(pair?.routerCallsOfHot).toBe(0);
    const durations = (await metrics.requestDuration.get()).values.filter((v) => v.metricName?.endsWith('_count'));
    expect(durations.map((v) => [v.labels, v.value])).toEqual([[{ method: 'GET', route: '/:name/-/:file', status: '200' }, 3]]);
    const bytes = (await metrics.responseBytes.get()).values;
    expect(bytes.map((v) => [v.labels, v.value])).toEqual([[{ route: '/:name/-/:file' }, 3 * tgz.old.length]]);
  });

  it('leaves requests with credentials, the kit\'s own routes and `/-/` routes to Express', async () => {
    const { eachBothWays } = await setup();
    const cases: Send[] = [
      (r) => r.get('/cool-pkg').set('authorization', 'Bearer not-a-token'),
      (r) => r.get(OLD).set('authorization', 'Bearer not-a-token'),
      (r) => r.get('/metrics'),
      (r) => r.get('/-/ping'),
      (r) => r.get('/-/-/x.tgz'),
    ];
    for (const a of await eachBothWays(cases)) {
      expect(a.routerCallsOfHot).toBe(1);
      expect(a.hot.status).toBe(a.express.status);
    }
  });
});
