import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltPackage } from './support/build-distributions';
import { ADMIN, createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { expectSuccess, type RunResult } from './support/python-clients';

// twine and uv publish upload freshly built distributions with an API token; pip installs them back.
describe('publishing private packages with twine and uv publish', () => {
  let world: E2eWorld;
  let proxy: ProxyProcess;
  let token: string;
  let v1: BuiltPackage;
  let v2: BuiltPackage;
  let v1Different: BuiltPackage;
  let v3: BuiltPackage;

  beforeAll(async () => {
    world = await createE2eWorld('publish', process.env);
    v1 = await world.build({ name: 'e2e-private', version: '1.0.0' });
    v2 = await world.build({ name: 'e2e-private', version: '1.1.0' });
    v1Different = await world.build({ name: 'e2e-private', version: '1.0.0', flavour: 'different' });
    v3 = await world.build({ name: 'e2e-private', version: '3.0.0' });
    proxy = await world.startProxy();
    token = await world.adminToken(proxy);
  });
  afterAll(() => world?.close());

  const twine = async (pkg: BuiltPackage, password: string | null): Promise<RunResult> => {
    const home = await world.freshDir('twine');
    const auth = password === null ? [] : ['--username', '__token__', '--password', password];
    return world.clients.run(world.clients.bin('twine'), [
      'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${proxy.url}/legacy/`, ...auth, pkg.wheel, pkg.sdist,
    ], { home });
  };
  const uvPublish = async (pkg: BuiltPackage, extra: string[]): Promise<RunResult> => {
    const home = await world.freshDir('uv-publish');
    // The README client table's uv line: --check-url lets a re-run skip what the index already has.
    return world.clients.run(world.clients.bin('uv'), ['publish', '--publish-url', `${proxy.url}/legacy/`, '--check-url', `${proxy.url}/simple/`, ...extra, pkg.wheel, pkg.sdist], { home });
  };
  const pageFiles = async (): Promise<string[]> => {
    const res = await fetch(`${proxy.url}/simple/e2e-private/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    if (res.status === 404) return [];
    return ((await res.json()) as { files: Array<{ filename: string }> }).files.map((f) => f.filename).sort();
  };
  const pipInstall = async (requirement: string) => {
    const home = await world.freshDir('pip');
    expectSuccess(await world.clients.run(world.clients.bin('pip'), [
      'install', '--no-cache-dir', '--target', path.join(home, 'site'), '--index-url', `${proxy.url}/simple/`, requirement,
    ], { home }), `pip install ${requirement}`);
    return readFile(path.join(home, 'site', 'e2e_private', '__init__.py'), 'utf8');
  };

  it('refuses uploads without a token (401) or with a wrong one (403), storing nothing', async () => {
    // twine and uv refuse to send an upload without credentials, so the anonymous attempt is a raw POST.
    const anonymous = await postWithoutCredentials(`${proxy.url}/legacy/`, v3.wheel);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await twine(v3, 'pypi-not-a-real-token');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toContain('403');
    expect(await pageFiles()).toEqual([]);
  });

  it('twine upload of a project the upstream serves is refused with the reason', async () => {
    const claimed = await world.build({ name: 'e2e-claimed', version: '99.0.0' });
    world.upstream.setProject('e2e-claimed', [{ filename: 'e2e_claimed-1.0.0-py3-none-any.whl', bytes: Buffer.from('upstream wheel') }]);
    const refused = await twine(claimed, token);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/403/);
    expect(refused.stdout + refused.stderr).toMatch(/served by the upstream registry/);
    const page = await fetch(`${proxy.url}/simple/e2e-claimed/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    expect(((await page.json()) as { files: Array<{ filename: string }> }).files.map((f) => f.filename)).toEqual(['e2e_claimed-1.0.0-py3-none-any.whl']);
  });

  it('twine uploads a wheel and an sdist with a token; pip installs them back', async () => {
    expectSuccess(await twine(v1, token), 'twine upload');
    expect(await pageFiles()).toEqual([path.basename(v1.sdist), path.basename(v1.wheel)].sort());
    expect(await pipInstall('e2e-private==1.0.0')).toContain('VERSION = "1.0.0"');
  });

  it('uv publish uploads a wheel and an sdist with a token', async () => {
    expectSuccess(await uvPublish(v2, ['--token', token]), 'uv publish');
    expect(await pipInstall('e2e-private')).toContain('VERSION = "1.1.0"');
  });

  it('a re-run of uv publish --check-url skips the files already there; twine 7 refuses --skip-existing here (README client table)', async () => {
    const again = expectSuccess(await uvPublish(v2, ['--token', token]), 'uv publish again');
    expect(again.stdout + again.stderr).toMatch(/already exists, skipping/);
    const skip = await world.clients.run(world.clients.bin('twine'), [
      'upload', '--skip-existing', '--non-interactive', '--disable-progress-bar', '--repository-url', `${proxy.url}/legacy/`,
      '--username', '__token__', '--password', token, v2.wheel,
    ], { home: await world.freshDir('twine') });
    expect(skip.code).not.toBe(0);
    expect(skip.stdout + skip.stderr).toMatch(/UnsupportedConfiguration[\s\S]*--skip-existing/);
  });

  it('accepts an identical re-upload (200) and refuses a different file under the same name (409)', async () => {
    expectSuccess(await twine(v1, token), 'identical twine re-upload');
    const different = await twine(v1Different, token);
    expect(different.code).not.toBe(0);
    expect(different.stdout + different.stderr).toMatch(/409|File already exists/);
    expect(await pipInstall('e2e-private==1.0.0')).toContain('FLAVOUR = "plain"');
  });

  it('records uploads, failures included, in Kafka with the uploader', async () => {
    const wheels = await readdir(path.dirname(v1.wheel));
    const v1Wheel = wheels.find((f) => f.endsWith('.whl')) as string;
    const isUpload = (e: Record<string, unknown>) => e['event_type'] === 'pypi.package.upload';
    const has = (evs: Array<Record<string, unknown>>, status: number) => evs.some((e) => isUpload(e) && e['status_code'] === status);
    // Wait for every kind this suite produced (their events may reach Kafka in any order), not for a count.
    const events = await world.auditEvents((evs) => [200, 401, 403, 409].every((status) => has(evs, status)));
    const uploads = events.filter(isUpload);
    expect(uploads.filter((e) => e['status_code'] === 401)).not.toHaveLength(0);
    expect(uploads.filter((e) => e['status_code'] === 403)).not.toHaveLength(0);
    expect(uploads.filter((e) => e['status_code'] === 409)).not.toHaveLength(0);
    const ok = uploads.find((e) => e['status_code'] === 200 && e['filename'] === v1Wheel);
    expect(ok).toMatchObject({ action: 'upload', package: 'e2e-private', version: '1.0.0', size: (await readFile(v1.wheel)).length });
    expect(ok?.extra['user']).toBe(ADMIN.user);
  });
});

async function postWithoutCredentials(url: string, wheel: string): Promise<Response> {
  const bytes = await readFile(wheel);
  const form = new FormData();
  for (const [k, v] of Object.entries({ ':action': 'file_upload', protocol_version: '1', name: 'e2e-private', version: '3.0.0', filetype: 'bdist_wheel', pyversion: 'py3' })) {
    form.append(k, v);
  }
  form.append('content', new Blob([new Uint8Array(bytes)]), path.basename(wheel));
  return fetch(url, { method: 'POST', body: form });
}
