import { createS3Client } from './s3-client';
import { s3DownloadUrls } from './s3-download-url';

/** Signing is local: these run without a server (the URLs are fetched from the real one in the int-spec). */
describe('s3DownloadUrls', () => {
  const client = createS3Client({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1', bucket: 'b', accessKeyId: 'id', secretAccessKey: 'secret', forcePathStyle: true });

  it('signs a GET of the object for the asked lifetime, on the configured host', async () => {
    const url = new URL(await s3DownloadUrls(client, 'b')('npm/a b.tgz', 90_000));
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:1/b/npm/a%20b.tgz');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('90');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reuses a key\'s URL while half its lifetime is left, then signs a new one', async () => {
    const clock = { now: Date.parse('2026-12-02T10:00:00Z') };
    const sign = s3DownloadUrls(client, 'b', () => clock.now);
    const first = await sign('k.tgz', 60_000);
    clock.now += 29_000;
    expect(await sign('k.tgz', 60_000)).toBe(first);
    expect(await sign('other.tgz', 60_000)).not.toBe(first);
    clock.now += 1_000;
    const second = await sign('k.tgz', 60_000);
    expect(second).not.toBe(first);
    expect(new URL(second).searchParams.get('X-Amz-Date')).toBe('20261202T100030Z');
  });

  it('refuses a lifetime S3 cannot sign', async () => {
    await expect(s3DownloadUrls(client, 'b')('k.tgz', 8 * 24 * 3_600_000)).rejects.toThrow(/1 s to 7 days/);
  });
});
