import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { startOfflineSigstore, type OfflineSigstore } from '@registry/npm-testing';
import { generateSigningKeyPem } from '@registry/npm-protocol';
import { ClientSandbox, makeProject } from './support/clients';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';
import { writePackageDir } from './support/publishable';

const PATH = process.env['PATH'] ?? '';

/**
 * The real `npm audit signatures` on a project mixing upstream packages (signed by the fixture upstream's own
 * key) and a package published here (signed by ours), installed through the proxy; npm's Sigstore TUF refresh
 * is answered on loopback (startOfflineSigstore), so npm then reads the keys from `/-/npm/v1/keys`. The real
 * `npm audit` of the same project tells the upstream nothing about the private package.
 */
describe('registry signatures with the real npm CLI (fs storage, offline Sigstore TUF)', () => {
  let world: E2eWorld;
  let sigstore: OfflineSigstore;
  let proxy: ProxyProcess;
  let box: ClientSandbox;

  beforeAll(async () => {
    sigstore = await startOfflineSigstore();
    world = await createE2eWorld('signatures', { PATH }, { upstream: { signing: true }, packages: [{ name: 'up-a', version: '1.0.0' }, { name: 'up-b', version: '1.0.0' }] });
    proxy = await world.startProxy({ NPM_SIGNING_KEY: generateSigningKeyPem() });
    box = await ClientSandbox.create(path.join(world.dir, 'alice'), proxy.url, PATH);
    Object.assign(box.env, sigstore.env);
    await sigstore.seedTufCache(box.env['npm_config_cache'] as string);
    const login = await fetch(`${proxy.url}/-/user/org.couchdb.user:alice`, {
      method: 'PUT', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ _id: 'org.couchdb.user:alice', name: 'alice', password: 'alice-password-123', type: 'user', roles: [] }),
    });
    const { token } = (await login.json()) as { token: string };
    await appendFile(path.join(box.dir, 'npmrc'), `${proxy.url.replace(/^http:/, '')}/:_authToken=${token}\n`);
    const published = await box.npm(['publish'], await writePackageDir(world.dir, 'acme-internal', '1.0.0'));
    if (published.code !== 0) throw new Error(`npm publish failed:\n${published.stderr}`);
  });
  afterAll(async () => {
    await world?.close();
    await sigstore?.close();
  });

  const installedProject = async (name: string, deps: Record<string, string>) => {
    const project = path.join(world.dir, name);
    await makeProject(project, 'npm', proxy.url, deps);
    const install = await box.npm(['install', '--no-audit', '--no-fund'], project);
    if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
    return project;
  };

  it('passes on upstream and private packages side by side', async () => {
    const project = await installedProject('mixed', { 'up-a': '1.0.0', 'acme-internal': '1.0.0' });
    const audit = await box.npm(['audit', 'signatures'], project);
    expect({ code: audit.code, out: audit.stdout, err: audit.code === 0 ? '' : audit.stderr }).toMatchObject({ code: 0, err: '' });
    expect(audit.stdout).toMatch(/2 packages have verified registry signatures/);
    // npm really went through its TUF refresh before reading our keys document.
    expect(sigstore.requests).toEqual(expect.arrayContaining(['/timestamp.json', '/targets.json']));
  });

  it('fails on a tampered upstream signature', async () => {
    world.upstream.tamperSignature('up-b', '1.0.0');
    const project = await installedProject('tampered', { 'up-b': '1.0.0', 'acme-internal': '1.0.0' });
    const audit = await box.npm(['audit', 'signatures'], project);
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/1 package has an invalid registry signature/);
    expect(audit.stdout).toMatch(/up-b@1\.0\.0/);
  });

  it('npm audit names the upstream packages to the upstream, never the private one', async () => {
    const project = path.join(world.dir, 'mixed');
    world.upstream.auditRequests.length = 0;
    const audit = await box.npm(['audit', '--json'], project);
    expect(audit.stdout).toContain('"vulnerabilities"');
    expect(world.upstream.auditRequests).toHaveLength(1);
    expect(Object.keys(world.upstream.auditRequests[0] as object)).toEqual(['up-a']);
    expect(JSON.stringify(world.upstream.auditRequests)).not.toContain('acme-internal');
  });
});
