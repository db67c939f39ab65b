import { silentLogger } from '@registry/shared-logger';
import { createUpstreamClient } from '@registry/shared-upstream-http';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { createNpmUpstreamClient } from './npm-upstream-client';

describe('npm upstream client (against the fixture registry)', () => {
  let fixture: FixtureRegistry;
  beforeAll(async () => {
    fixture = await startFixtureRegistry();
    fixture.setPackage('@scope/pkg', { '1.0.0': { tarball: Buffer.from('bytes') } });
  });
  afterAll(() => fixture.close());

  const client = () => createNpmUpstreamClient({
    baseUrl: fixture.url,
    maxPackumentBytes: 1_000_000,
    http: createUpstreamClient({ allowedOrigins: [fixture.url], userAgent: 't', logger: silentLogger, maxSockets: 2, connectTimeoutMs: 1000, headersTimeoutMs: 2000, bodyTimeoutMs: 2000 }),
  });

  it('fetches with @scope%2Fname, revalidates with the ETag, and reports 404s', async () => {
    const npm = client();
    const first = await npm.fetchPackument('@scope/pkg', undefined);
    expect(first.kind).toBe('ok');
    expect(fixture.requests).toContain('GET /@scope/pkg');
    const etag = first.kind === 'ok' ? first.etag : undefined;
    expect(await npm.fetchPackument('@scope/pkg', etag)).toEqual({ kind: 'not_modified' });
    expect(await npm.fetchPackument('missing', undefined)).toEqual({ kind: 'not_found' });
  });

  it('streams tarballs and refuses other origins before any I/O', async () => {
    const npm = client();
    const tarball = await npm.openTarball(`${fixture.url}/@scope/pkg/-/pkg-1.0.0.tgz`);
    const chunks: Buffer[] = [];
    for await (const c of tarball.body) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('bytes');
    await expect(npm.openTarball('http://127.0.0.2:9/x.tgz')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(npm.openTarball(`${fixture.url}/@scope/pkg/-/pkg-9.9.9.tgz`)).rejects.toMatchObject({ code: 'not_found' });
  });
});
