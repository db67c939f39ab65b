import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltPackage } from './support/build-distributions';
import { ADMIN, createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { expectSuccess, poetryLock } from './support/python-clients';

type Event = Record<string, unknown> & { extra: Record<string, string> };

/**
 * README "What an event means" with the real pip, uv, poetry, twine and uv publish, audited through the real
 * gateway into Kafka: uv's and poetry's lazy metadata reads (a HEAD, ranges) are not downloads, a download
 * counts once per completed file, refused uploads name the user they claimed (never a password or token), and
 * the page and files of a project uploaded here carry extra.origin=private.
 */
describe('audit facts from real Python clients (events in Kafka)', () => {
  let world: E2eWorld;
  let lazy: BuiltPackage;
  let lazyWheel: string;
  let lazySize: number;
  let mine: BuiltPackage;

  beforeAll(async () => {
    world = await createE2eWorld('facts', process.env);
    lazy = await world.build({ name: 'e2e-lazy', version: '1.0.0' });
    mine = await world.build({ name: 'e2e-mine', version: '1.0.0' });
    lazyWheel = path.basename(lazy.wheel);
    lazySize = (await readFile(lazy.wheel)).length;
    // No PEP 658 metadata upstream: uv and poetry read the wheel's METADATA with a HEAD and range requests.
    world.upstream.setProject('e2e-lazy', [{ filename: lazyWheel, bytes: await readFile(lazy.wheel), requiresPython: '>=3.8' }]);
  });
  afterAll(() => world?.close());

  /** The suite's events recorded since `since` (each test starts its own proxy; the topic is the suite's). */
  const eventsUntil = async (since: string, until: (events: Event[]) => boolean) => {
    const ours = (es: Event[]) => es.filter((e) => String(e['timestamp']) >= since);
    return ours((await world.auditEvents((es) => until(ours(es as Event[])))) as Event[]);
  };
  const by = (client: string) => (e: Event) => String(e['user_agent']).startsWith(`${client}/`);
  const ofLazyWheel = (e: Event) => e['filename'] === lazyWheel && e['action'] === 'download';
  const isCompleted = (e: Event) => e['status_code'] === 200 && e.extra['method'] === undefined;
  const uvInstall = async (proxy: ProxyProcess, requirement: string) => {
    const home = await world.freshDir('uv');
    expectSuccess(await world.clients.run(world.clients.bin('uv'), [
      'pip', 'install', '--python', world.clients.bin('python'), '--target', path.join(home, 'site'),
      '--index-url', `${proxy.url}/simple/`, '--cache-dir', path.join(home, 'uv-cache'), requirement,
    ], { home }), `uv pip install ${requirement}`, proxy.output());
  };
  const pip = async (proxy: ProxyProcess, command: 'install' | 'download', requirement: string) => {
    const home = await world.freshDir('pip');
    const where = command === 'install' ? ['--target', path.join(home, 'site')] : ['--dest', path.join(home, 'out')];
    expectSuccess(await world.clients.run(world.clients.bin('pip'), [
      command, '--no-cache-dir', ...where, '--index-url', `${proxy.url}/simple/`, requirement,
    ], { home }), `pip ${command} ${requirement}`, proxy.output());
  };

  it('pip downloads once; uv reads with a HEAD (no bytes) and a range (its bytes, extra.range), then downloads once; poetry only reads a range', async () => {
    const since = new Date().toISOString();
    const proxy = await world.startProxy();
    await pip(proxy, 'download', 'e2e-lazy');
    await uvInstall(proxy, 'e2e-lazy');
    await poetryLock(world.clients, await world.freshDir('poetry'), `${proxy.url}/simple/`, 'e2e-lazy', proxy.output());

    const all = await eventsUntil(since, (es) => es.filter(ofLazyWheel).some(by('poetry')) && es.filter(ofLazyWheel).some((e) => by('uv')(e) && isCompleted(e)));
    const wheel = all.filter(ofLazyWheel);
    expect(wheel.filter(by('pip')).map((e) => [e['source'], e['status_code'], e['size']])).toEqual([['upstream', 200, lazySize]]);
    const uv = wheel.filter(by('uv'));
    expect(uv.filter(isCompleted).map((e) => e['size'])).toEqual([lazySize]);
    const heads = uv.filter((e) => e.extra['method'] === 'HEAD');
    expect(heads.length).toBeGreaterThan(0);
    expect(heads.map((e) => [e['status_code'], e['size']])).toEqual(heads.map(() => [200, 0]));
    const uvRanges = uv.filter((e) => e['status_code'] === 206);
    expect(uvRanges.length).toBeGreaterThan(0);
    for (const e of uvRanges) expect([e.extra['range'], e['size']]).toEqual([expect.stringMatching(/^bytes=/), expect.any(Number)]);
    // poetry lock reads the wheel's tail and never downloads it: no completed download of it.
    const poetry = wheel.filter(by('poetry'));
    expect(poetry.filter(isCompleted)).toEqual([]);
    expect(poetry.filter((e) => e['status_code'] === 206).map((e) => [e.extra['range'], e['size']])).toEqual([[expect.stringMatching(/^bytes=/), Math.min(lazySize, 10_000)]]);
    // Across all three clients the lake counts exactly two downloads of the wheel: pip's and uv's.
    expect(wheel.filter(isCompleted)).toHaveLength(2);
  });

  it('uv on a cold proxy: what it abandons mid-body is 499 with the bytes it was sent, never a download', async () => {
    const since = new Date().toISOString();
    const proxy = await world.startProxy();
    await uvInstall(proxy, 'e2e-lazy');
    const all = await eventsUntil(since, (es) => es.filter(ofLazyWheel).filter(by('uv')).some(isCompleted));
    const uv = all.filter(ofLazyWheel).filter(by('uv'));
    // The cold range reads are answered whole (a miss is fetched whole) and uv leaves; one full download is kept.
    for (const e of uv.filter((x) => Number(x['status_code']) >= 400)) {
      expect(e['status_code']).toBe(499);
      expect(e['size']).toBeGreaterThanOrEqual(0);
      expect(e['size']).toBeLessThanOrEqual(lazySize);
    }
    // The pull-through finishes a miss even when uv leaves, so uv's full download is answered from the upstream or,
    // when that fetch won the race, from the cache; either way exactly one event per completed file.
    expect(uv.filter(isCompleted).length).toBeGreaterThanOrEqual(1);
    expect(uv.filter(isCompleted).every((e) => e['source'] === 'upstream' || e['source'] === 'cache')).toBe(true);
    for (const e of uv.filter((x) => x['status_code'] === 206)) expect(e['source']).toBe('cache'); // a range only from a cached copy
  });

  it('twine and uv publish with a wrong password name the user they claimed; an unknown token names nobody', async () => {
    const since = new Date().toISOString();
    const proxy = await world.startProxy();
    const home = await world.freshDir('twine');
    const twine = (user: string, password: string) => world.clients.run(world.clients.bin('twine'), [
      'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${proxy.url}/legacy/`, '--username', user, '--password', password, mine.wheel,
    ], { home });
    expect((await twine(ADMIN.user, 'not-the-password')).code).not.toBe(0);
    expect((await twine('__token__', 'pypi-not-a-real-token')).code).not.toBe(0);
    const uv = await world.clients.run(world.clients.bin('uv'), ['publish', '--publish-url', `${proxy.url}/legacy/`, '--username', 'carol', '--password', 'wrong-password', mine.wheel], { home });
    expect(uv.code).not.toBe(0);
    const refused = (e: Event) => e['event_type'] === 'pypi.package.upload' && Number(e['status_code']) >= 400;
    const all = await eventsUntil(since, (es) => es.filter(refused).filter((e) => by('twine')(e) || by('uv')(e)).length >= 3);
    const uploads = all.filter(refused).filter((e) => by('twine')(e) || by('uv')(e));
    expect(uploads.map((e) => [String(e['user_agent']).split('/')[0], e['status_code'], e.extra['user'] ?? null]).sort()).toEqual([
      ['twine', 403, ADMIN.user], ['twine', 403, null], ['uv', 403, 'carol'],
    ].sort());
    expect(JSON.stringify(uploads)).not.toMatch(/not-the-password|pypi-not-a-real-token|wrong-password/);
  });

  it('the page and files of a project uploaded here carry extra.origin=private; upstream ones do not', async () => {
    const since = new Date().toISOString();
    const proxy = await world.startProxy();
    const token = await world.adminToken(proxy);
    const home = await world.freshDir('twine');
    expectSuccess(await world.clients.run(world.clients.bin('twine'), [
      'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${proxy.url}/legacy/`, '--username', '__token__', '--password', token, mine.wheel,
    ], { home }), 'twine upload', proxy.output());
    await pip(proxy, 'install', 'e2e-mine');
    await uvInstall(proxy, 'e2e-mine');
    await pip(proxy, 'install', 'e2e-lazy');
    const reads = (name: string) => (e: Event) => e['package'] === name && (e['action'] === 'metadata' || e['action'] === 'download') && e['status_code'] === 200;
    const all = await eventsUntil(since, (es) => es.filter(reads('e2e-mine')).filter((e) => e['action'] === 'download').length >= 2 && es.some((e) => reads('e2e-lazy')(e) && e['action'] === 'download'));
    const private_ = all.filter(reads('e2e-mine'));
    expect(private_.length).toBeGreaterThanOrEqual(4); // a page and a file (or its PEP 658 metadata) per client
    expect(new Set(private_.map((e) => e.extra['origin']))).toEqual(new Set(['private']));
    const upstream = all.filter(reads('e2e-lazy'));
    expect(upstream.length).toBeGreaterThan(0);
    expect(upstream.filter((e) => e.extra['origin'] !== undefined)).toEqual([]);
  });
});
