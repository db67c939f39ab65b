import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { uniqueSuffix } from '@registry/shared-testing';
import type { AuditEvent } from '@registry/audit-testing';
import { ClientSandbox, type ClientName } from './support/clients';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import { TREE } from './support/fixture-packages';
import type { ProxyProcess } from './support/proxy-process';
import { writePackageDir } from './support/publishable';

const PATH = process.env['PATH'] ?? '';
const PASSWORD = 'e2e-password-123';

/**
 * README "What an event means" with the real npm, pnpm and yarn, audited through the real gateway into Kafka:
 * npm's web-login probe is no failed login, refused credentials name the user they claimed, and the downloads
 * and documents of a package published here carry extra.origin=private.
 */
describe('audit facts from real npm clients (events in Kafka)', () => {
  const privateName = `e2e-private-${uniqueSuffix()}`;
  let world: E2eWorld;
  let proxy: ProxyProcess;
  let alice: ClientSandbox;

  beforeAll(async () => {
    world = await createE2eWorld('facts', { PATH }, { packages: TREE, audit: true });
    proxy = await world.startProxy();
    alice = await ClientSandbox.create(path.join(world.dir, 'alice'), proxy.url, PATH);
  });
  afterAll(() => world?.close());

  const ok = (what: string, res: { code: number; stdout: string; stderr: string }) => {
    if (res.code !== 0) throw new Error(`${what} failed (${res.code}):\n${res.stdout}\n${res.stderr}`);
    return res.stdout;
  };

  it('npm adduser: the web-login probe is a 404 with no user; a wrong password and a token used outside its CIDR name alice', async () => {
    const added = await alice.interactiveNpm(['adduser'], [[/Username:/, 'alice'], [/Password:/, PASSWORD], [/Email/, 'alice@example.test']], world.dir);
    expect(added.stdout).toMatch(/Logged in on/);
    const wrong = await alice.interactiveNpm(['login', '--auth-type=legacy'], [[/Username:/, 'alice'], [/Password:/, 'not-the-password']], world.dir);
    expect(wrong.code).not.toBe(0);
    // A token alice may only use from 192.0.2.0/24: known, but refused from loopback (refused for its scope).
    const created = await alice.interactiveNpm(['token', 'create', '--cidr', '192.0.2.0/24'], [[/password:/i, PASSWORD]], world.dir);
    const fenced = /Created token (\S+)/.exec(created.stdout)?.[1] as string;
    expect(fenced).toBeDefined();
    const elsewhere = await ClientSandbox.create(path.join(world.dir, 'elsewhere'), proxy.url, PATH);
    await writeFile(path.join(elsewhere.dir, 'npmrc'), `registry=${proxy.url}/\n//${new URL(proxy.url).host}/:_authToken=${fenced}\n`);
    const refused = await elsewhere.npm(['publish'], await writePackageDir(path.join(world.dir, 'fenced'), `${privateName}-fenced`, '1.0.0'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/E401/);

    const isProbe = (e: AuditEvent) => e['event_type'] === 'npm.user.login' && e.extra['operation'] === 'web-login';
    const isWrongLogin = (e: AuditEvent) => e['event_type'] === 'npm.user.login' && e['status_code'] === 401;
    const isRefusedPublish = (e: AuditEvent) => e['event_type'] === 'npm.package.publish' && e['status_code'] === 401;
    const seen = await world.auditEvents((es) => es.some(isProbe) && es.some(isWrongLogin) && es.some(isRefusedPublish));
    expect(seen.filter(isProbe).map((e) => [e['status_code'], e.extra['user'] ?? null])).toEqual([[404, null]]);
    expect(seen.find(isWrongLogin)?.extra['user']).toBe('alice');
    expect(seen.find(isRefusedPublish)?.extra['user']).toBe('alice');
    expect(JSON.stringify(seen)).not.toContain(fenced);
    expect(JSON.stringify(seen)).not.toContain('not-the-password');
  });

  it('npm, pnpm and yarn install a package published here: its documents and downloads carry extra.origin=private', async () => {
    ok('npm publish', await alice.npm(['publish'], await writePackageDir(world.dir, privateName, '1.0.0')));
    const installers: ClientName[] = ['npm', 'pnpm', 'yarn'];
    for (const client of installers) {
      ok(`${client} install`, (await world.install(client, proxy, `install-${client}`, { [privateName]: '^1.0.0', 'dep-a': '^1.0.0' })).result);
    }
    const isDownload = (name: string) => (e: AuditEvent) => e['action'] === 'download' && e['package'] === name && e['status_code'] === 200;
    const seen = await world.auditEvents((es) => es.filter(isDownload(privateName)).length >= installers.length && es.filter(isDownload('dep-a')).length >= installers.length);
    // Each client's cache is fresh: one completed download per client, all private, none the cache's doing.
    expect(seen.filter(isDownload(privateName)).map((e) => [e['source'], e.extra['origin'], e.extra['method'] ?? null])).toEqual(
      installers.map(() => ['cache', 'private', null]));
    expect(seen.filter(isDownload('dep-a')).map((e) => e.extra['origin'] ?? null)).toEqual(installers.map(() => null));
    const documents = seen.filter((e) => e['event_type'] === 'npm.package.metadata' && e['package'] === privateName && e['status_code'] === 200);
    expect(documents.length).toBeGreaterThanOrEqual(installers.length);
    expect(new Set(documents.map((e) => e.extra['origin']))).toEqual(new Set(['private']));
  });
});
