import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ClientSandbox, makeProject } from './support/clients';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';
const MARKER = 'POSTINSTALL_RAN';

/**
 * What the README client table says about npm 11 and dependency install scripts, tried with this machine's npm
 * through the proxy: a script `allowScripts` does not cover still runs (with a warning), a `false` entry skips
 * it, and --strict-allow-scripts refuses the install until every script is covered.
 */
describe('npm 11 and dependency install scripts, through npm-proxy', () => {
  let world: E2eWorld;
  let proxy: ProxyProcess;

  beforeAll(async () => {
    const postinstall = `node -e "require('fs').writeFileSync(require('path').join(process.env.INIT_CWD, '${MARKER}'), 'ran')"`;
    world = await createE2eWorld('scripts', { PATH }, { packages: [{ name: 'with-postinstall', version: '1.0.0', scripts: { postinstall } }] });
    proxy = await world.startProxy();
  });
  afterAll(() => world?.close());

  const install = async (name: string, allowScripts: Record<string, boolean> | undefined, extra: string[] = []) => {
    const base = path.join(world.dir, name);
    const project = path.join(base, 'project');
    await makeProject(project, 'npm', proxy.url, { 'with-postinstall': '1.0.0' });
    if (allowScripts) {
      const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(path.join(project, 'package.json'), JSON.stringify({ ...manifest, allowScripts }, null, 2));
    }
    const box = await ClientSandbox.create(path.join(base, 'sandbox'), proxy.url, PATH);
    const result = await box.run('npm', ['install', '--registry', proxy.url, '--no-audit', '--no-fund', ...extra], project);
    return { result, ran: existsSync(path.join(project, MARKER)), installed: existsSync(path.join(project, 'node_modules/with-postinstall/package.json')) };
  };

  it('runs a script allowScripts does not cover, and says so', async () => {
    const { result, ran } = await install('uncovered', undefined);
    expect(result.code).toBe(0);
    expect(ran).toBe(true);
    expect(result.stderr).toMatch(/not yet covered by allowScripts[\s\S]*with-postinstall@1\.0\.0/);
  });

  it('runs an approved script quietly and skips a denied one', async () => {
    const approved = await install('approved', { 'with-postinstall': true });
    expect({ code: approved.result.code, ran: approved.ran }).toEqual({ code: 0, ran: true });
    expect(approved.result.stderr).not.toMatch(/not yet covered by allowScripts/);
    const denied = await install('denied', { 'with-postinstall': false });
    expect({ code: denied.result.code, ran: denied.ran, installed: denied.installed }).toEqual({ code: 0, ran: false, installed: true });
  });

  it('--strict-allow-scripts refuses the install until every script is covered', async () => {
    const { result, ran } = await install('strict', undefined, ['--strict-allow-scripts']);
    expect(result.code).not.toBe(0);
    expect(ran).toBe(false);
    expect(result.stderr).toMatch(/strict-allow-scripts[\s\S]*with-postinstall@1\.0\.0/);
  });
});
