import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TREE } from './support/build-distributions';
import { createE2eWorld, upstreamRequestsDuring, type E2eWorld } from './support/e2e-world';
import { expectSuccess, poetryLock } from './support/python-clients';

// pip, uv and poetry resolve e2e-root, which depends on e2e-leaf, through the proxy: first from a cold
// proxy (which fills its cache from the local upstream), then from the warm proxy with a cold client
// cache, which must cost the upstream nothing.
describe('installing through the pull-through cache with real clients', () => {
  let world: E2eWorld;

  beforeAll(async () => {
    world = await createE2eWorld('install', process.env, { packages: TREE });
  });
  afterAll(() => world?.close());
  const rootWheel = () => world.served('e2e-root').wheel;

  const pipInstall = async (index: string) => {
    const home = await world.freshDir('pip');
    const target = path.join(home, 'site');
    expectSuccess(await world.clients.run(world.clients.bin('pip'), [
      'install', '--no-cache-dir', '--target', target, '--index-url', `${index}/simple/`, 'e2e-root',
    ], { home }), 'pip install');
    return readdir(target);
  };

  it('pip install: cold proxy fetches from the upstream, warm proxy answers alone', async () => {
    const proxy = await world.startProxy();
    const cold = await upstreamRequestsDuring(world, async () => {
      expect(await pipInstall(proxy.url)).toEqual(expect.arrayContaining(['e2e_root', 'e2e_leaf']));
    });
    expect(cold).toEqual(expect.arrayContaining(['GET /simple/e2e-root/', 'GET /simple/e2e-leaf/', `GET /packages/e2e-root/${rootWheel().filename}`]));
    const warm = await upstreamRequestsDuring(world, async () => {
      expect(await pipInstall(proxy.url)).toEqual(expect.arrayContaining(['e2e_root', 'e2e_leaf']));
    });
    expect(warm).toEqual([]);
  });

  it('pip download: cold then warm', async () => {
    const proxy = await world.startProxy();
    const download = async () => {
      const home = await world.freshDir('pip-download');
      expectSuccess(await world.clients.run(world.clients.bin('pip'), [
        'download', '--no-cache-dir', '--dest', path.join(home, 'out'), '--index-url', `${proxy.url}/simple/`, 'e2e-root',
      ], { home }), 'pip download');
      return (await readdir(path.join(home, 'out'))).sort();
    };
    expect((await upstreamRequestsDuring(world, download)).length).toBeGreaterThan(0);
    let files: string[] = [];
    expect(await upstreamRequestsDuring(world, async () => (files = await download()))).toEqual([]);
    expect(files).toEqual(['e2e_leaf-1.0.0-py3-none-any.whl', rootWheel().filename]);
  });

  it('uv pip install: cold then warm', async () => {
    const proxy = await world.startProxy();
    const uvInstall = async () => {
      const home = await world.freshDir('uv');
      expectSuccess(await world.clients.run(world.clients.bin('uv'), [
        'pip', 'install', '--python', world.clients.bin('python'), '--target', path.join(home, 'site'),
        '--index-url', `${proxy.url}/simple/`, '--cache-dir', path.join(home, 'uv-cache'), 'e2e-root',
      ], { home }), 'uv pip install');
      return readdir(path.join(home, 'site'));
    };
    expect((await upstreamRequestsDuring(world, uvInstall)).length).toBeGreaterThan(0);
    let installed: string[] = [];
    expect(await upstreamRequestsDuring(world, async () => (installed = await uvInstall()))).toEqual([]);
    expect(installed).toEqual(expect.arrayContaining(['e2e_root', 'e2e_leaf']));
  });

  it('poetry lock resolves through the proxy: cold then warm', async () => {
    const proxy = await world.startProxy();
    const lock = async () => poetryLock(world.clients, await world.freshDir('poetry'), `${proxy.url}/simple/`, 'e2e-root');
    expect((await upstreamRequestsDuring(world, lock)).length).toBeGreaterThan(0);
    let lockfile = '';
    expect(await upstreamRequestsDuring(world, async () => (lockfile = await lock()))).toEqual([]);
    expect(lockfile).toContain('name = "e2e-leaf"');
    expect(lockfile).toContain('name = "e2e-root"');
  });

  it('records every page and download in Kafka with the right type, source, package, version and size', async () => {
    const isRootDownload = (source: string) => (e: Record<string, unknown>) =>
      e['filename'] === rootWheel().filename && e['source'] === source && String(e['event_type']).startsWith('pypi.package.download');
    const isLeafPage = (e: Record<string, unknown>) => e['event_type'] === 'pypi.package.metadata' && e['package'] === 'e2e-leaf' && e['filename'] === null;
    const isRootMetadataFile = (e: Record<string, unknown>) => e['event_type'] === 'pypi.package.metadata' && e['filename'] === `${rootWheel().filename}.metadata`;
    const events = await world.auditEvents((evs) =>
      evs.some(isRootDownload('upstream')) && evs.some(isRootDownload('cache')) && evs.some(isLeafPage) && evs.some(isRootMetadataFile));
    expect(events.find(isRootDownload('upstream'))).toMatchObject({
      event_type: 'pypi.package.download.upstream', registry: 'pypi', action: 'download', package: 'e2e-root',
      version: '1.0.0', status_code: 200, size: rootWheel().bytes.length, remote_addr: '127.0.0.1',
    });
    const cached = events.find(isRootDownload('cache'));
    expect(cached).toMatchObject({ event_type: 'pypi.package.download', package: 'e2e-root', version: '1.0.0', status_code: 200, size: rootWheel().bytes.length });
    expect(cached?.['user_agent']).toEqual(expect.any(String));
    expect(cached?.extra['request_id']).toEqual(expect.any(String));
    expect(events.find(isLeafPage)).toMatchObject({ action: 'metadata', status_code: 200 });
    expect(events.find(isRootMetadataFile)).toMatchObject({ package: 'e2e-root', version: '1.0.0', status_code: 200 });
  });
});
