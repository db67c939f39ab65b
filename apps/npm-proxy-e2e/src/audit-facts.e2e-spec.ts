import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir, requireServicesEnv, uniqueSuffix } from '@registry/shared-testing';
import { readAuditEvents, startAuditGateway, type ConsumedAuditMessage, type RunningAuditGateway } from '@registry/audit-testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { ClientSandbox, ensureClients, installArgs, makeProject, type ClientName, type ClientPaths } from './support/clients';
import { serveTree } from './support/fixture-packages';
import { startProxy, type ProxyProcess } from './support/proxy-process';
import { writePackageDir } from './support/publishable';

const PATH = process.env['PATH'] ?? '';
const PASSWORD = 'e2e-password-123';
type AuditEvent = ConsumedAuditMessage['event'];

/**
 * README "What an event means" with the real npm, pnpm and yarn, audited through the real gateway into Kafka:
 * npm's web-login probe is no failed login, refused credentials name the user they claimed, and the downloads
 * and documents of a package published here carry extra.origin=private.
 */
describe('audit facts from real npm clients (events in Kafka)', () => {
  const services = requireServicesEnv();
  const topic = `npm-e2e-facts-${uniqueSuffix()}`;
  const privateName = `e2e-private-${uniqueSuffix()}`;
  let temp: { dir: string; remove(): Promise<void> };
  let clients: ClientPaths;
  let upstream: FixtureRegistry;
  let gateway: RunningAuditGateway;
  let proxy: ProxyProcess;
  let alice: ClientSandbox;

  beforeAll(async () => {
    temp = await makeTempDir('npm-e2e-facts-');
    clients = ensureClients();
    upstream = await startFixtureRegistry();
    await serveTree(upstream, temp.dir, { PATH, HOME: temp.dir, npm_config_cache: path.join(temp.dir, 'pack-cache') });
    gateway = await startAuditGateway({ kafkaBrokers: services.kafkaBrokers.join(','), topic, dataDir: path.join(temp.dir, 'gateway') });
    proxy = await startProxy({ PATH, DATA_DIR: path.join(temp.dir, 'data'), NPM_UPSTREAM_URL: upstream.url, AUDIT_GATEWAY_ADDR: gateway.address });
    alice = await ClientSandbox.create(path.join(temp.dir, 'alice'), proxy.url, PATH);
  });
  afterAll(async () => {
    await proxy?.stop();
    await gateway?.stop();
    await upstream?.close();
    await temp?.remove();
  });

  const events = (until: (es: AuditEvent[]) => boolean) =>
    readAuditEvents({ brokers: services.kafkaBrokers.join(','), topic, timeoutMs: 30_000, until: (ms) => until(ms.map((m) => m.event)) })
      .then((ms) => ms.map((m) => m.event));
  const ok = (what: string, res: { code: number; stdout: string; stderr: string }) => {
    if (res.code !== 0) throw new Error(`${what} failed (${res.code}):\n${res.stdout}\n${res.stderr}`);
    return res.stdout;
  };

  it('npm adduser: the web-login probe is a 404 with no user; a wrong password and a token used outside its CIDR name alice', async () => {
    const added = await alice.interactiveNpm(['adduser'], [[/Username:/, 'alice'], [/Password:/, PASSWORD], [/Email/, 'alice@example.test']], temp.dir);
    expect(added.stdout).toMatch(/Logged in on/);
    const wrong = await alice.interactiveNpm(['login', '--auth-type=legacy'], [[/Username:/, 'alice'], [/Password:/, 'not-the-password']], temp.dir);
    expect(wrong.code).not.toBe(0);
    // A token alice may only use from 192.0.2.0/24: known, but refused from loopback (refused for its scope).
    const created = await alice.interactiveNpm(['token', 'create', '--cidr', '192.0.2.0/24'], [[/password:/i, PASSWORD]], temp.dir);
    const fenced = /Created token (\S+)/.exec(created.stdout)?.[1] as string;
    expect(fenced).toBeDefined();
    const elsewhere = await ClientSandbox.create(path.join(temp.dir, 'elsewhere'), proxy.url, PATH);
    await writeFile(path.join(elsewhere.dir, 'npmrc'), `registry=${proxy.url}/\n//${new URL(proxy.url).host}/:_authToken=${fenced}\n`);
    const refused = await elsewhere.npm(['publish'], await writePackageDir(path.join(temp.dir, 'fenced'), `${privateName}-fenced`, '1.0.0'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/E401/);

    const isProbe = (e: AuditEvent) => e['event_type'] === 'npm.user.login' && e.extra['operation'] === 'web-login';
    const isWrongLogin = (e: AuditEvent) => e['event_type'] === 'npm.user.login' && e['status_code'] === 401;
    const isRefusedPublish = (e: AuditEvent) => e['event_type'] === 'npm.package.publish' && e['status_code'] === 401;
    const seen = await events((es) => es.some(isProbe) && es.some(isWrongLogin) && es.some(isRefusedPublish));
    expect(seen.filter(isProbe).map((e) => [e['status_code'], e.extra['user'] ?? null])).toEqual([[404, null]]);
    expect(seen.find(isWrongLogin)?.extra['user']).toBe('alice');
    expect(seen.find(isRefusedPublish)?.extra['user']).toBe('alice');
    expect(JSON.stringify(seen)).not.toContain(fenced);
    expect(JSON.stringify(seen)).not.toContain('not-the-password');
  });

  it('npm, pnpm and yarn install a package published here: its documents and downloads carry extra.origin=private', async () => {
    ok('npm publish', await alice.npm(['publish'], await writePackageDir(temp.dir, privateName, '1.0.0')));
    const installers: ClientName[] = ['npm', 'pnpm', 'yarn'];
    for (const client of installers) {
      const base = path.join(temp.dir, `install-${client}`);
      const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
      await makeProject(path.join(base, 'project'), client, proxy.url, { [privateName]: '^1.0.0', 'dep-a': '^1.0.0' });
      const [cmd, args] = installArgs(client, clients, box);
      ok(`${client} install`, await box.run(cmd, args, path.join(base, 'project')));
    }
    const isDownload = (name: string) => (e: AuditEvent) => e['action'] === 'download' && e['package'] === name && e['status_code'] === 200;
    const seen = await events((es) => es.filter(isDownload(privateName)).length >= installers.length && es.filter(isDownload('dep-a')).length >= installers.length);
    // Each client's cache is fresh: one completed download per client, all private, none the cache's doing.
    expect(seen.filter(isDownload(privateName)).map((e) => [e['source'], e.extra['origin'], e.extra['method'] ?? null])).toEqual(
      installers.map(() => ['cache', 'private', null]));
    expect(seen.filter(isDownload('dep-a')).map((e) => e.extra['origin'] ?? null)).toEqual(installers.map(() => null));
    const documents = seen.filter((e) => e['event_type'] === 'npm.package.metadata' && e['package'] === privateName && e['status_code'] === 200);
    expect(documents.length).toBeGreaterThanOrEqual(installers.length);
    expect(new Set(documents.map((e) => e.extra['origin']))).toEqual(new Set(['private']));
  });
});
