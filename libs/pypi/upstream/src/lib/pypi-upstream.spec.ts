import { silentLogger } from '@registry/shared-logger';
import { createUpstreamClient, type UpstreamClient } from '@registry/shared-upstream-http';
import { makeWheel, startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';
import { parseUpstreamPage } from '@registry/pypi-protocol';
import { createPypiUpstream, type PypiUpstreamClient } from './pypi-upstream';

const wheel = makeWheel({ name: 'acme', version: '1.0.0' });

describe('createPypiUpstream against a local fixture upstream', () => {
  let fixture: FixtureUpstream;
  let client: UpstreamClient;
  let upstream: PypiUpstreamClient;

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
    fixture.setProject('acme', [{ filename: wheel.filename, bytes: wheel.bytes }, { filename: 'acme-0.1.tar.gz', bytes: Buffer.from('x'), foreignOrigin: true }]);
    client = createUpstreamClient({
      allowedOrigins: [new URL(fixture.indexUrl).origin, fixture.filesUrl], userAgent: 'test', connectTimeoutMs: 2000,
      headersTimeoutMs: 5000, bodyTimeoutMs: 5000, maxSockets: 4, logger: silentLogger,
    });
    upstream = createPypiUpstream({ client, indexUrl: fixture.indexUrl, filesUrl: fixture.filesUrl, maxPageBytes: 1_000_000 });
  });
  afterAll(async () => {
    await client.close();
    await fixture.stop();
  });

  const page = async () => {
    const fetched = await upstream.fetchProjectPage('acme', undefined);
    if (fetched.kind !== 'ok') throw new Error(`expected a page, got ${fetched.kind}`);
    return { ...fetched, page: parseUpstreamPage(fetched.body.toString(), fetched.contentType ?? '', fetched.url, 'acme') };
  };

  it('fetches a page as JSON, then revalidates it with its ETag', async () => {
    const first = await page();
    expect(first.contentType).toMatch(/^application\/vnd\.pypi\.simple\.v1\+json/);
    expect(first.page.files.map((f) => f.filename)).toEqual([wheel.filename, 'acme-0.1.tar.gz']);
    expect(first.etag).toMatch(/^"/);
    expect(await upstream.fetchProjectPage('acme', first.etag)).toEqual({ kind: 'not_modified' });
  });

  it('reports a missing project as not_found and a failing index as upstream_unavailable', async () => {
    expect(await upstream.fetchProjectPage('nope', undefined)).toEqual({ kind: 'not_found' });
    fixture.indexDown = true;
    await expect(upstream.fetchProjectPage('acme', undefined)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    fixture.indexDown = false;
  });

  it('contacts the configured origins only', async () => {
    const [ours, foreign] = (await page()).page.files;
    expect(upstream.isAllowedFileUrl(ours!.url)).toBe(true);
    expect(upstream.isAllowedFileUrl(foreign!.url)).toBe(false);
    // A file named on another host is fetched from the configured files host at the same path.
    const rehomed = await upstream.openFile(foreign!.url);
    expect(fixture.requests).toContain(`GET ${new URL(foreign!.url).pathname}`);
    rehomed.body.destroy();
    const file = await upstream.openFile(ours!.url);
    expect(file.size).toBe(wheel.bytes.length);
    file.body.destroy();
    await expect(upstream.openFile(`${fixture.filesUrl}/packages/acme/missing.whl`)).rejects.toMatchObject({ code: 'not_found' });
  });
});
