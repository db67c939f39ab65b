import request from 'supertest';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { createHarness, type Harness } from './testing/harness';

/** Error bodies never name storage keys or paths (issue 12, finding 10): those stay in the log. */
describe('pypi-proxy error messages', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await createHarness({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient() });
  });
  afterEach(() => harness.close());

  it('answers a name too long to store with a 4xx that does not echo the storage key', async () => {
    const res = await request(harness.app).get(`/simple/${'a'.repeat(1100)}/`).set('Accept', 'application/vnd.pypi.simple.v1+json');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(/pypi\/projects|pypi\/upstream|storage key/);
  });
});
