import path from 'node:path';
import { makeTempDir, requireServicesEnv, s3AppEnv, uniqueSuffix } from '@registry/shared-testing';
import { readAuditEvents, startAuditGateway, type ConsumedAuditMessage, type RunningAuditGateway } from '@registry/audit-testing';
import { ClientSandbox } from './support/clients';
import { startProxy, type ProxyProcess } from './support/proxy-process';
import { writePackageDir } from './support/publishable';

const PATH = process.env['PATH'] ?? '';

const PASSWORD = 'e2e-password-123';

/**
 * The write side with the real npm client, against the proxy on the real S3 server, with audit events going
 * through the real gateway into Kafka.
 */
describe('npm client write side (S3 storage, audit in Kafka)', () => {
  const services = requireServicesEnv();
  const topic = `npm-e2e-${uniqueSuffix()}`;
  let temp: { dir: string; remove(): Promise<void> };
  let gateway: RunningAuditGateway;
  let proxy: ProxyProcess;
  let box: ClientSandbox;
  const unscoped = `e2e-pkg-${uniqueSuffix()}`;
  const scoped = `@e2e/widget-${uniqueSuffix()}`;

  beforeAll(async () => {
    temp = await makeTempDir('npm-e2e-publish-');
    gateway = await startAuditGateway({ kafkaBrokers: services.kafkaBrokers.join(','), topic, dataDir: path.join(temp.dir, 'gateway') });
    proxy = await startProxy({ PATH, ...s3AppEnv(services, `npm-e2e-${uniqueSuffix()}`), AUDIT_GATEWAY_ADDR: gateway.address });
    box = await ClientSandbox.create(path.join(temp.dir, 'alice'), proxy.url, PATH);
  });
  afterAll(async () => {
    await proxy?.stop();
    await gateway?.stop();
    await temp?.remove();
  });

  const npm = async (args: string[], cwd = temp.dir) => box.npm(args, cwd);
  const ok = async (args: string[], cwd = temp.dir) => {
    const res = await npm(args, cwd);
    if (res.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${res.code}):\n${res.stdout}\n${res.stderr}`);
    return res.stdout;
  };

  it('adduser falls back from web login, then logout, login, whoami; a wrong password is refused', async () => {
    const added = await box.interactiveNpm(['adduser'], [[/Username:/, 'alice'], [/Password:/, PASSWORD], [/Email/, 'alice@example.test']], temp.dir);
    expect(added.stdout).toMatch(/Logged in on/);
    expect((await ok(['whoami'])).trim()).toBe('alice');
    await ok(['logout']);
    expect((await npm(['whoami'])).code).not.toBe(0);
    const wrong = await box.interactiveNpm(['login', '--auth-type=legacy'], [[/Username:/, 'alice'], [/Password:/, 'not-the-password']], temp.dir);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/E401|401/);
    const login = await box.interactiveNpm(['login', '--auth-type=legacy'], [[/Username:/, 'alice'], [/Password:/, PASSWORD]], temp.dir);
    expect(login.stdout).toMatch(/Logged in on/);
    expect((await ok(['whoami'])).trim()).toBe('alice');
  });

  it('publishes scoped and unscoped packages, refuses republishing, and installs them', async () => {
    await ok(['publish'], await writePackageDir(temp.dir, unscoped, '1.0.0'));
    await ok(['publish', '--access', 'public'], await writePackageDir(temp.dir, scoped, '1.0.0'));
    expect(JSON.parse(await ok(['view', unscoped, '--json'])).version).toBe('1.0.0');
    expect(JSON.parse(await ok(['view', scoped, '--json'])).version).toBe('1.0.0');
    const again = await npm(['publish'], await writePackageDir(path.join(temp.dir, 'again'), unscoped, '1.0.0'));
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/npm error You cannot publish over the previously published versions: 1\.0\.0\./);
    const anonymous = await ClientSandbox.create(path.join(temp.dir, 'anon'), proxy.url, PATH);
    const denied = await anonymous.npm(['publish'], await writePackageDir(path.join(temp.dir, 'anon-pkg'), unscoped, '5.0.0'));
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/E401|ENEEDAUTH/);
    expect((await ok(['view', unscoped, 'versions', '--json']))).not.toContain('5.0.0');
    const app = await writePackageDir(temp.dir, 'consumer', '1.0.0', { private: true, dependencies: { [unscoped]: '^1.0.0', [scoped]: '^1.0.0' } });
    // A fresh client cache, so the tarballs really come from the proxy.
    const install = await anonymous.npm(['install', '--no-audit'], app);
    expect({ code: install.code, err: install.code ? install.stderr : '' }).toEqual({ code: 0, err: '' });
  });

  it('dist-tag add/ls/rm, deprecate, search, owner ls', async () => {
    await ok(['dist-tag', 'add', `${unscoped}@1.0.0`, 'beta']);
    expect(await ok(['dist-tag', 'ls', unscoped])).toMatch(/beta: 1\.0\.0/);
    await ok(['dist-tag', 'rm', unscoped, 'beta']);
    expect(await ok(['dist-tag', 'ls', unscoped])).not.toMatch(/beta/);
    await ok(['deprecate', `${unscoped}@1.0.0`, 'use something else']);
    expect(JSON.parse(await ok(['view', unscoped, '--json'])).deprecated).toBe('use something else');
    const found = JSON.parse(await ok(['search', '--json', unscoped])) as Array<{ name: string }>;
    expect(found.map((p) => p.name)).toContain(unscoped);
    expect(await ok(['owner', 'ls', unscoped])).toMatch(/alice/);
  });

  it('unpublishes one version, then a whole package; unpublished versions cannot come back', async () => {
    await ok(['publish'], await writePackageDir(temp.dir, unscoped, '1.1.0'));
    await ok(['unpublish', `${unscoped}@1.1.0`]);
    expect(JSON.parse(await ok(['view', unscoped, 'versions', '--json']))).toEqual(['1.0.0']);
    const back = await npm(['publish'], await writePackageDir(path.join(temp.dir, 'back'), unscoped, '1.1.0'));
    expect(back.stderr).toMatch(/You cannot publish over the previously published versions: 1\.1\.0\./);
    await ok(['unpublish', scoped, '--force']);
    const gone = await npm(['view', scoped, '--json']);
    expect(gone.stderr).toMatch(/E404/);
  });

  it('creates, lists and revokes tokens', async () => {
    const created = await box.interactiveNpm(['token', 'create'], [[/password:/i, PASSWORD]], temp.dir);
    const secret = /Created token (\S+)/.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    const list = JSON.parse(await ok(['token', 'list', '--json'])) as Array<{ key: string; token: string }>;
    const mine = list.find((t) => (secret as string).startsWith(t.token.replace(/…$/, '')));
    expect(mine).toBeDefined();
    await ok(['token', 'revoke', (mine as { key: string }).key.slice(0, 10)]);
    const after = JSON.parse(await ok(['token', 'list', '--json'])) as Array<{ key: string }>;
    expect(after.map((t) => t.key)).not.toContain((mine as { key: string }).key);
    expect((await ok(['ping'])).length).toBeGreaterThanOrEqual(0);
  });

  it('recorded every operation, failures included, as audit events in Kafka', async () => {
    const want: Array<[string, number]> = [
      ['npm.user.login', 201], ['npm.user.login', 401], ['npm.package.publish', 201], ['npm.package.publish', 403],
      ['npm.dist-tags.update', 201], ['npm.dist-tags.update', 200], ['npm.search', 200],
      ['npm.package.metadata', 200], ['npm.package.download', 200],
    ];
    let missing = want;
    const isOurPublish = (e: ConsumedAuditMessage['event']) =>
      e['event_type'] === 'npm.package.publish' && e['status_code'] === 201 && e['package'] === unscoped && e['version'] === '1.0.0';
    const seen = (ms: ConsumedAuditMessage[]) => {
      missing = want.filter(([type, status]) => !ms.some((m) => m.event['event_type'] === type && m.event['status_code'] === status));
      return missing.length === 0 && ms.some((m) => isOurPublish(m.event));
    };
    const messages = await readAuditEvents({ brokers: services.kafkaBrokers.join(','), topic, until: seen, timeoutMs: 30_000 })
      .catch((err: Error) => { throw new Error(`${err.message}; missing ${JSON.stringify(missing)}`); });
    // Events of different packages sit in different partitions: look the one up, do not rely on order.
    const publish = messages.find((m) => isOurPublish(m.event));
    expect(publish?.event).toMatchObject({ registry: 'npm', package: unscoped, version: '1.0.0', filename: `${unscoped}-1.0.0.tgz` });
    expect(publish?.event['user_agent']).toMatch(/^npm\//);
    expect(publish?.event.extra['request_id']).toBeDefined();
  });
});
