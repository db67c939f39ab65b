import { requireServicesEnv, s3AppEnv, uniqueSuffix } from '@registry/shared-testing';
import { installedVersion, type ClientName } from './support/clients';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import { TREE } from './support/fixture-packages';
import type { ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';

/** The tarball requests in the proxy's access log that it answered with `status`. */
function tarballAnswers(proxy: ProxyProcess, status: number): string[] {
  return proxy.output().split('\n')
    .map((line) => { try { return JSON.parse(line) as { req?: { url?: string }; res?: { statusCode?: number } }; } catch { return {}; } })
    .filter((l) => l.res?.statusCode === status && l.req?.url?.endsWith('.tgz'))
    .map((l) => l.req?.url as string);
}

/**
 * STORAGE_DOWNLOAD_REDIRECT=presigned on the real S3 server: a cold install streams (misses are fetched and cached),
 * a warm install with an empty client cache follows 302s to presigned URLs and gets the same tree.
 */
describe('installs through download redirects (S3 storage, presigned URLs) with real clients', () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createE2eWorld('redirect', { PATH }, { packages: TREE });
  });
  afterAll(() => world?.close());

  const install = async (client: ClientName, proxy: ProxyProcess, run: string) => {
    const { result, project } = await world.install(client, proxy, `${client}-${run}`);
    expect({ code: result.code, out: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
    return { 'dep-a': await installedVersion(project, 'dep-a'), '@fixture/scoped': await installedVersion(project, '@fixture/scoped') };
  };

  it.each<ClientName>(['npm', 'pnpm', 'yarn', 'berry'])('%s installs the same tree cold (streamed) and warm (redirected to S3)', async (client) => {
    const proxy = await world.startProxy({
      ...s3AppEnv(requireServicesEnv(), `npm-e2e-redirect-${uniqueSuffix()}`), STORAGE_DOWNLOAD_REDIRECT: 'presigned', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: '60000',
    });
    const cold = await install(client, proxy, 'cold');
    expect(cold).toEqual({ 'dep-a': '1.0.0', '@fixture/scoped': '1.0.0' });
    expect(tarballAnswers(proxy, 302)).toEqual([]);
    const streamed = tarballAnswers(proxy, 200).length;
    expect(streamed).toBeGreaterThan(0);

    world.upstream.requests.length = 0;
    const warm = await install(client, proxy, 'warm');
    expect(warm).toEqual(cold);
    expect(world.upstream.requests.filter((r) => r.endsWith('.tgz'))).toEqual([]);
    // Every tarball of the warm install was a redirect: the proxy streamed none of them again.
    expect(tarballAnswers(proxy, 302).length).toBe(streamed);
    expect(tarballAnswers(proxy, 200).length).toBe(streamed);
    expect(proxy.output()).not.toMatch(/X-Amz-Signature=(?!\[redacted\])/i);
  });
});
