import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asFixtureFiles } from './support/build-distributions';
import { ADMIN, createE2eWorld, type E2eWorld } from './support/e2e-world';
import { expectSuccess } from './support/python-clients';

const DAY = 86_400_000;

// README "Firewall" with real clients: under a 3-day release-age cooldown pip and uv resolve to the newest
// release old enough, and a hash-pinned requirement on a held file fails with our message.
describe('firewall cooldown with real Python clients', () => {
  let world: E2eWorld;
  let youngWheel: { filename: string; sha256: string };

  beforeAll(async () => {
    world = await createE2eWorld('firewall', process.env);
    const old = await world.build({ name: 'e2e-cool', version: '1.0.0' });
    const young = await world.build({ name: 'e2e-cool', version: '1.1.0' });
    const dated = (files: Awaited<ReturnType<typeof asFixtureFiles>>, at: number) => files.map((f) => ({ ...f, uploadTime: new Date(at).toISOString() }));
    world.upstream.setProject('e2e-cool', [
      ...dated(await asFixtureFiles(old, 'e2e-cool'), Date.now() - 30 * DAY),
      ...dated(await asFixtureFiles(young, 'e2e-cool'), Date.now()),
    ]);
    const bytes = await readFile(young.wheel);
    youngWheel = { filename: path.basename(young.wheel), sha256: createHash('sha256').update(new Uint8Array(bytes)).digest('hex') };
  });
  afterAll(() => world?.close());

  const installed = async (site: string) => (await readdir(site)).filter((d) => d.startsWith('e2e_cool-')).sort();

  it('pip and uv install the newest release past the cooldown', async () => {
    const proxy = await world.startProxy({ env: { REGISTRY_MIN_RELEASE_AGE: '3d' } });
    const pipHome = await world.freshDir('pip');
    expectSuccess(await world.clients.run(world.clients.bin('pip'), [
      'install', '--no-cache-dir', '--target', path.join(pipHome, 'site'), '--index-url', `${proxy.url}/simple/`, 'e2e-cool',
    ], { home: pipHome }), 'pip install');
    expect(await installed(path.join(pipHome, 'site'))).toEqual(['e2e_cool-1.0.0.dist-info']);
    const uvHome = await world.freshDir('uv');
    expectSuccess(await world.clients.run(world.clients.bin('uv'), [
      'pip', 'install', '--python', world.clients.bin('python'), '--target', path.join(uvHome, 'site'),
      '--index-url', `${proxy.url}/simple/`, '--cache-dir', path.join(uvHome, 'uv-cache'), 'e2e-cool',
    ], { home: uvHome }), 'uv pip install');
    expect(await installed(path.join(uvHome, 'site'))).toEqual(['e2e_cool-1.0.0.dist-info']);
  });

  it('pip install --require-hashes of a file the cooldown holds fails with our message, and the refusal is audited', async () => {
    const proxy = await world.startProxy({ env: { PYPI_MIN_RELEASE_AGE: '3d' } });
    const home = await world.freshDir('pip-hashes');
    const requirements = path.join(home, 'requirements.txt');
    await writeFile(requirements, `e2e-cool @ ${proxy.url}/files/e2e-cool/${youngWheel.filename} --hash=sha256:${youngWheel.sha256}\n`);
    const result = await world.clients.run(world.clients.bin('pip'), [
      'install', '--no-cache-dir', '--require-hashes', '--target', path.join(home, 'site'), '--index-url', `${proxy.url}/simple/`, '-r', requirements,
    ], { home });
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/403/);
    expect(result.stdout + result.stderr).toMatch(/release-age cooldown/);
    const events = await world.auditEvents((es) => es.some((e) => e['event_type'] === 'pypi.package.download' && e['status_code'] === 403));
    expect(events.find((e) => e['status_code'] === 403)).toMatchObject({ package: 'e2e-cool', filename: youngWheel.filename, extra: { policy: 'cooldown' } });
  });

  it('a malicious advisory added to the feed blocks a cached file after a refresh: pip --require-hashes fails naming it', async () => {
    const feed = await world.freshDir('osv');
    await mkdir(feed, { recursive: true });
    const proxy = await world.startProxy({ env: { REGISTRY_ADVISORY_FEED: feed } });
    const home = await world.freshDir('pip-cached');
    const requirements = path.join(home, 'requirements.txt');
    await writeFile(requirements, `e2e-cool==1.1.0 --hash=sha256:${youngWheel.sha256}\n`);
    const install = (site: string) => world.clients.run(world.clients.bin('pip'), [
      'install', '--no-cache-dir', '--require-hashes', '--only-binary=:all:', '--target', path.join(home, site), '--index-url', `${proxy.url}/simple/`, '-r', requirements,
    ], { home });
    expectSuccess(await install('first'), 'pip install (fills the cache)');
    await writeFile(path.join(feed, 'MAL-2026-5.json'), JSON.stringify({
      id: 'MAL-2026-5', affected: [{ package: { ecosystem: 'PyPI', name: 'E2E_Cool' }, versions: ['1.1.0'] }],
    }));
    const auth = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64')}`;
    expect((await fetch(`${proxy.url}/-/policy/advisories/refresh`, { method: 'POST', headers: { authorization: auth } })).status).toBe(200);
    await writeFile(requirements, `e2e-cool @ ${proxy.url}/files/e2e-cool/${youngWheel.filename} --hash=sha256:${youngWheel.sha256}\n`);
    const result = await install('second');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/MAL-2026-5/);
  });
});
