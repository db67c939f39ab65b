import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir, requireServicesEnv, uniqueSuffix } from '@registry/shared-testing';
import { readAuditEvents, startAuditGateway, type ConsumedAuditMessage, type RunningAuditGateway } from '@registry/audit-testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { ClientSandbox, ensureClients, installArgs, makeProject, type ClientName, type ClientPaths } from './support/clients';
import { packPackage } from './support/fixture-packages';
import { startProxy, type ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';
const DAY = 86_400_000;
type AuditEvent = ConsumedAuditMessage['event'];

/**
 * README "Firewall" with real clients: under a 3-day release-age cooldown npm, pnpm, yarn 1 and berry resolve to the newest
 * version old enough, `npm ci` from a lockfile pinning a held version fails with our message, and the events in
 * Kafka carry extra.policy.
 */
describe('firewall cooldown with real npm clients (events in Kafka)', () => {
  const services = requireServicesEnv();
  const topic = `npm-e2e-firewall-${uniqueSuffix()}`;
  let temp: { dir: string; remove(): Promise<void> };
  let clients: ClientPaths;
  let upstream: FixtureRegistry;
  let gateway: RunningAuditGateway;
  let guarded: ProxyProcess;
  let open: ProxyProcess;
  let feedDir: string;
  let revalidating: ProxyProcess;
  const ADMIN = `Basic ${Buffer.from('e2e-admin:e2e-admin-password-1').toString('base64')}`;

  beforeAll(async () => {
    temp = await makeTempDir('npm-e2e-firewall-');
    clients = ensureClients();
    upstream = await startFixtureRegistry();
    const env = { PATH, HOME: temp.dir, npm_config_cache: path.join(temp.dir, 'pack-cache') };
    const old = await packPackage(temp.dir, { name: 'cool-dep', version: '1.0.0' }, env);
    const young = await packPackage(temp.dir, { name: 'cool-dep', version: '1.1.0' }, env);
    upstream.setPackage('cool-dep', {
      '1.0.0': { ...old, publishedAt: new Date(Date.now() - 30 * DAY).toISOString() },
      '1.1.0': { ...young, publishedAt: new Date().toISOString() },
    });
    const doomed = await packPackage(temp.dir, { name: 'doomed-dep', version: '1.0.0' }, env);
    const kept = await packPackage(temp.dir, { name: 'doomed-dep', version: '0.9.0' }, env);
    upstream.setPackage('doomed-dep', { '0.9.0': kept, '1.0.0': doomed });
    gateway = await startAuditGateway({ kafkaBrokers: services.kafkaBrokers.join(','), topic, dataDir: path.join(temp.dir, 'gateway') });
    feedDir = path.join(temp.dir, 'osv');
    await mkdir(feedDir);
    guarded = await startProxy({
      PATH, DATA_DIR: path.join(temp.dir, 'data-guarded'), NPM_UPSTREAM_URL: upstream.url, AUDIT_GATEWAY_ADDR: gateway.address, REGISTRY_MIN_RELEASE_AGE: '3d',
      REGISTRY_ADVISORY_FEED: feedDir, REGISTRY_ADMIN_USER: 'e2e-admin', REGISTRY_ADMIN_PASSWORD: 'e2e-admin-password-1',
    });
    open = await startProxy({ PATH, DATA_DIR: path.join(temp.dir, 'data-open'), NPM_UPSTREAM_URL: upstream.url });
    // Revalidates every packument at once (no TTL, no stale-while-revalidate): a takedown shows on the next request.
    revalidating = await startProxy({
      PATH, DATA_DIR: path.join(temp.dir, 'data-revalidating'), NPM_UPSTREAM_URL: upstream.url, AUDIT_GATEWAY_ADDR: gateway.address,
      NPM_METADATA_TTL_MS: '0', NPM_METADATA_STALE_WHILE_REVALIDATE_MS: '0',
    });
  });
  afterAll(async () => {
    await Promise.all([guarded?.stop(), open?.stop(), revalidating?.stop()]);
    await gateway?.stop();
    await upstream?.close();
    await temp?.remove();
  });

  const project = async (client: ClientName, proxy: ProxyProcess, run: string, deps: Record<string, string> = { 'cool-dep': '^1.0.0' }) => {
    const base = path.join(temp.dir, `${client}-${run}`);
    const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
    const dir = path.join(base, 'project');
    await makeProject(dir, client, proxy.url, deps);
    return { box, dir };
  };
  const installedVersion = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'node_modules/cool-dep/package.json'), 'utf8')).version as string;

  it.each<ClientName>(['npm', 'pnpm', 'yarn', 'berry'])('%s resolves ^1.0.0 to the newest version older than the cooldown', async (client) => {
    const { box, dir } = await project(client, guarded, 'resolve');
    const [cmd, args] = installArgs(client, clients, box);
    const result = await box.run(cmd, args, dir);
    expect({ code: result.code, out: result.code === 0 ? '' : result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
    expect(await installedVersion(dir)).toBe('1.0.0');
  });

  it('npm ci from a lockfile pinning the held version fails with the cooldown message; the refusal is in Kafka with extra.policy', async () => {
    const locked = await project('npm', open, 'lock');
    const [cmd, args] = installArgs('npm', clients, locked.box);
    expect((await locked.box.run(cmd, args, locked.dir)).code).toBe(0);
    expect(await installedVersion(locked.dir)).toBe('1.1.0');

    const ci = await project('npm', guarded, 'ci');
    const lockfile = (await readFile(path.join(locked.dir, 'package-lock.json'), 'utf8')).split(open.url).join(guarded.url);
    await writeFile(path.join(ci.dir, 'package-lock.json'), lockfile);
    const result = await ci.box.run('npm', ['ci', '--registry', guarded.url, '--no-audit', '--no-fund'], ci.dir);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/403/);
    expect(result.stdout + result.stderr).toMatch(/release-age cooldown/);

    const isRefused = (e: AuditEvent) => e['event_type'] === 'npm.package.download' && e['status_code'] === 403;
    const isFiltered = (e: AuditEvent) => e['event_type'] === 'npm.package.metadata' && e.extra['policy'] === 'cooldown';
    const seen = (await readAuditEvents({
      brokers: services.kafkaBrokers.join(','), topic, timeoutMs: 30_000, until: (ms) => ms.some((m) => isRefused(m.event)) && ms.some((m) => isFiltered(m.event)),
    })).map((m) => m.event);
    expect(seen.find(isRefused)).toMatchObject({ package: 'cool-dep', version: '1.1.0', extra: { policy: 'cooldown' } });
    expect(seen.find(isFiltered)).toMatchObject({ package: 'cool-dep', status_code: 200 });
  });

  it('a malicious advisory added to the feed blocks the cached version after a refresh: npm ci from its lockfile fails', async () => {
    const first = await project('npm', guarded, 'cached');
    const [cmd, args] = installArgs('npm', clients, first.box);
    expect((await first.box.run(cmd, args, first.dir)).code).toBe(0);
    expect(await installedVersion(first.dir)).toBe('1.0.0');
    await writeFile(path.join(feedDir, 'MAL-2026-9.json'), JSON.stringify({
      id: 'MAL-2026-9', summary: 'malicious code in cool-dep', affected: [{ package: { ecosystem: 'npm', name: 'cool-dep' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
    }));
    const refreshed = await fetch(`${guarded.url}/-/policy/advisories/refresh`, { method: 'POST', headers: { authorization: ADMIN } });
    expect(refreshed.status).toBe(200);

    const again = await project('npm', guarded, 'after-advisory');
    await writeFile(path.join(again.dir, 'package-lock.json'), await readFile(path.join(first.dir, 'package-lock.json'), 'utf8'));
    const result = await again.box.run('npm', ['ci', '--registry', guarded.url, '--no-audit', '--no-fund'], again.dir);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/MAL-2026-9/);
    const view = await (await fetch(`${guarded.url}/-/policy`, { headers: { authorization: ADMIN } })).json() as { blocked: Array<Record<string, unknown>> };
    expect(view.blocked).toEqual(expect.arrayContaining([expect.objectContaining({ package: 'cool-dep', release: '1.0.0', policy: 'advisory', advisory: 'MAL-2026-9' })]));
  });

  it('an upstream unpublish reaches a lockfile-only install: npm ci of the cached version fails (410, bytes kept), audited as a takedown', async () => {
    const first = await project('npm', revalidating, 'before-takedown', { 'doomed-dep': '1.0.0' });
    const [cmd, args] = installArgs('npm', clients, first.box);
    expect((await first.box.run(cmd, args, first.dir)).code).toBe(0);
    upstream.removeVersion('doomed-dep', '1.0.0');

    const again = await project('npm', revalidating, 'after-takedown', { 'doomed-dep': '1.0.0' });
    await writeFile(path.join(again.dir, 'package-lock.json'), await readFile(path.join(first.dir, 'package-lock.json'), 'utf8'));
    const result = await again.box.run('npm', ['ci', '--registry', revalidating.url, '--no-audit', '--no-fund'], again.dir);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/410/);

    const isTakedown = (e: AuditEvent) => e['event_type'] === 'npm.package.download' && e['package'] === 'doomed-dep' && e.extra['policy'] === 'takedown';
    const seen = (await readAuditEvents({ brokers: services.kafkaBrokers.join(','), topic, timeoutMs: 30_000, until: (ms) => ms.some((m) => isTakedown(m.event)) })).map((m) => m.event);
    expect(seen.find(isTakedown)).toMatchObject({ status_code: 410, filename: 'doomed-dep-1.0.0.tgz' });
  });
});
