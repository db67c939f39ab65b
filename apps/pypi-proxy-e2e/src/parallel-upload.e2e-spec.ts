import { s3AppEnv, uniqueSuffix } from '@registry/shared-testing';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeWheel } from '@registry/pypi-testing';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { expectSuccess } from './support/python-clients';

// `twine upload dist/*` of a release built for many platforms, as CI jobs do it: several uploads to ONE
// project at once. On the real S3 store, through one proxy (updateDocument queues the updates of one document
// within an instance; versitygw's conditional writes are not atomic across clients, so two instances are tested
// on the fs store and in the npm concurrency suite).
describe('parallel twine uploads to one project on the S3 store', () => {
  let world: E2eWorld;
  let proxy: ProxyProcess;
  let token: string;
  const wheels = Array.from({ length: 8 }, (_, i) => makeWheel({ name: 'e2e-parallel', version: `2.0.${i}` }));

  beforeAll(async () => {
    world = await createE2eWorld('parallel', process.env);
    proxy = await world.startProxy({ upstream: false, env: s3AppEnv(world.services, `pypi-e2e-${uniqueSuffix()}`) });
    token = await world.adminToken(proxy);
  });
  afterAll(() => world?.close());

  it('accepts 8 simultaneous twine uploads of distinct wheels and lists every one with intact bytes', async () => {
    const dist = await world.freshDir('dist');
    const files = await Promise.all(wheels.map(async (w) => {
      const file = path.join(dist, w.filename);
      await writeFile(file, w.bytes);
      return file;
    }));
    const results = await Promise.all(files.map(async (file) => world.clients.run(world.clients.bin('twine'), [
      'upload', '--non-interactive', '--disable-progress-bar', '--repository-url', `${proxy.url}/legacy/`,
      '--username', '__token__', '--password', token, file,
    ], { home: await world.freshDir('twine') })));
    results.forEach((r, i) => expectSuccess(r, `twine upload ${wheels[i]!.filename}`, proxy.output()));

    const res = await fetch(`${proxy.url}/simple/e2e-parallel/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    const page = (await res.json()) as { files: Array<{ filename: string; hashes: { sha256: string } }> };
    expect(page.files.map((f) => [f.filename, f.hashes.sha256]).sort()).toEqual(wheels.map((w) => [w.filename, w.sha256]).sort());
    for (const wheel of wheels) {
      const body = Buffer.from(await (await fetch(`${proxy.url}/files/e2e-parallel/${wheel.filename}`)).arrayBuffer());
      expect(createHash('sha256').update(new Uint8Array(body)).digest('hex')).toBe(wheel.sha256);
    }
  });
});
