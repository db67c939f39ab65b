import request from 'supertest';
import { startHarness, type PrivateTestHarness } from './testing/harness';

/** Error bodies never name storage keys or paths: those stay in the log. */
describe('pypi-proxy error messages', () => {
  let harness: PrivateTestHarness;
  beforeEach(async () => {
    harness = await startHarness({ upstream: false });
  });
  afterEach(() => harness.close());

  it('answers a name too long to store with a 4xx that does not echo the storage key', async () => {
    const res = await request(harness.app).get(`/simple/${'a'.repeat(1100)}/`).set('Accept', 'application/vnd.pypi.simple.v1+json');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(/pypi\/projects|pypi\/upstream|storage key/);
  });
});
