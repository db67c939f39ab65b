import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { uniqueSuffix } from '@registry/shared-testing';
import { ClientSandbox } from './support/clients';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { writePackageDir } from './support/publishable';

const PATH = process.env['PATH'] ?? '';
const PASSWORD = 'e2e-password-123';

/** With the real npm client: names the upstream serves cannot be claimed; npm 11 read-only tokens. */
describe('npm client: claims and read-only tokens', () => {
  let world: E2eWorld;
  let proxy: ProxyProcess;
  let box: ClientSandbox;
  const taken = `taken-${uniqueSuffix()}`;

  beforeAll(async () => {
    world = await createE2eWorld('identity', { PATH });
    world.upstream.setPackage(taken, { '1.0.0': { tarball: Buffer.from('not a real tarball') } });
    proxy = await world.startProxy();
    box = await ClientSandbox.create(path.join(world.dir, 'alice'), proxy.url, PATH);
    const added = await box.interactiveNpm(['adduser'], [[/Username:/, 'alice'], [/Password:/, PASSWORD], [/Email/, 'alice@example.test']], world.dir);
    expect(added.stdout).toMatch(/Logged in on/);
  });
  afterAll(() => world?.close());

  it('npm publish of a name the upstream serves is refused with the reason; a new name publishes', async () => {
    const refused = await box.npm(['publish'], await writePackageDir(world.dir, taken, '99.0.0'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/E403/);
    expect(refused.stderr).toMatch(/served by the upstream registry/);
    const view = await box.npm(['view', taken, 'version'], world.dir);
    expect(view.stdout.trim()).toBe('1.0.0');
    const fresh = `fresh-${uniqueSuffix()}`;
    const published = await box.npm(['publish'], await writePackageDir(world.dir, fresh, '1.0.0'));
    expect(published.code).toBe(0);
  });

  it('npm token create --packages-and-scopes-permission=read-only makes a token that reads but cannot publish', async () => {
    const created = await box.interactiveNpm(['token', 'create', '--packages-and-scopes-permission=read-only'], [[/password:/i, PASSWORD]], world.dir);
    const secret = /Created token (\S+)/.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    const reader = await ClientSandbox.create(path.join(world.dir, 'reader'), proxy.url, PATH);
    const host = proxy.url.replace(/^https?:/, '');
    await writeFile(path.join(world.dir, 'reader', 'npmrc'), `registry=${proxy.url}/\n${host}/:_authToken=${secret as string}\n`);
    expect((await reader.npm(['whoami'], world.dir)).stdout.trim()).toBe('alice');
    const refused = await reader.npm(['publish'], await writePackageDir(path.join(world.dir, 'reader'), `ro-${uniqueSuffix()}`, '1.0.0'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/E403/);
    const list = JSON.parse((await box.npm(['token', 'list', '--json'], world.dir)).stdout) as Array<{ token: string; readonly: boolean }>;
    expect(list.find((t) => (secret as string).startsWith(t.token.replace(/…$/, '')))?.readonly).toBe(true);
  });
});
