import { requireServicesEnv } from './services-env';
import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first defined value', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(3);
  });
  it('fails after the deadline with the last error', async () => {
    await expect(waitFor(() => { throw new Error('nope'); }, { timeoutMs: 20, intervalMs: 5, what: 'x' })).rejects.toThrow('timed out waiting for x: nope');
  });
});

describe('requireServicesEnv', () => {
  it('fails loudly, naming what is missing', () => {
    expect(() => requireServicesEnv({})).toThrow(/KAFKA_BROKERS.*services:up/);
  });
  it('parses the services env', () => {
    const env = requireServicesEnv({ KAFKA_BROKERS: 'a:1,b:2', S3_ENDPOINT: 'http://x', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', S3_BUCKET: 'b' });
    expect(env.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(env.s3.forcePathStyle).toBe(true);
  });
});
