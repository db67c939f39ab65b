import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir, requireServicesEnv, s3AppEnv, uniqueSuffix } from '@registry/shared-testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { ClientSandbox, ensureClients, installArgs, makeProject, type ClientName, type ClientPaths } from './support/clients';
import { serveTree } from './support/fixture-packages';
import { startProxy, type ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';
const DEPS = { 'dep-a': '^1.0.0', '@fixture/scoped': '^1.0.0' };

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
  let temp: { dir: string; remove(): Promise<void> };
  let upstream: FixtureRegistry;
  let clients: ClientPaths;
  const proxies: ProxyProcess[] = [];

  beforeAll(async () => {
    temp = await makeTempDir('npm-e2e-redirect-');
    clients = ensureClients();
    upstream = await startFixtureRegistry();
    await serveTree(upstream, temp.dir, { PATH: process.env['PATH'], HOME: temp.dir, npm_config_cache: path.join(temp.dir, 'pack-cache') });
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await upstream?.close();
    await temp?.remove();
  });

  const install = async (client: ClientName, proxy: ProxyProcess, run: string) => {
    const base = path.join(temp.dir, `${client}-${run}`);
    const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
    const project = path.join(base, 'project');
    await makeProject(project, client, proxy.url, DEPS);
    const [cmd, args] = installArgs(client, clients, box);
    const result = await box.run(cmd, args, project);
    expect({ code: result.code, out: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
    const version = async (name: string) => JSON.parse(await readFile(path.join(project, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    return { 'dep-a': await version('dep-a'), '@fixture/scoped': await version('@fixture/scoped') };
  };

  it.each<ClientName>(['npm', 'pnpm', 'yarn', 'berry'])('%s installs the same tree cold (streamed) and warm (redirected to S3)', async (client) => {
    const env = { PATH, ...s3AppEnv(requireServicesEnv(), `npm-e2e-redirect-${uniqueSuffix()}`), NPM_UPSTREAM_URL: upstream.url, STORAGE_DOWNLOAD_REDIRECT: 'presigned', STORAGE_DOWNLOAD_REDIRECT_TTL_MS: '60000' };
    const proxy = await startProxy(env);
    proxies.push(proxy);
    const cold = await install(client, proxy, 'cold');
    expect(cold).toEqual({ 'dep-a': '1.0.0', '@fixture/scoped': '1.0.0' });
    expect(tarballAnswers(proxy, 302)).toEqual([]);
    const streamed = tarballAnswers(proxy, 200).length;
    expect(streamed).toBeGreaterThan(0);

    upstream.requests.length = 0;
    const warm = await install(client, proxy, 'warm');
    expect(warm).toEqual(cold);
    expect(upstream.requests.filter((r) => r.endsWith('.tgz'))).toEqual([]);
    // Every tarball of the warm install was a redirect: the proxy streamed none of them again.
    expect(tarballAnswers(proxy, 302).length).toBe(streamed);
    expect(tarballAnswers(proxy, 200).length).toBe(streamed);
    expect(proxy.output()).not.toMatch(/X-Amz-Signature=(?!\[redacted\])/i);
  });
});
