import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, screenshot, seriousAxeViolations } from '@registry/shared-testing/browser';
import { createE2eWorld, type E2eWorld } from './support/e2e-world';
import type { ProxyProcess } from './support/proxy-process';

const PATH = process.env['PATH'] ?? '';
const DAY = 86_400_000;
const REPO_ROOT = path.resolve(__dirname, '../../..');
const MALICIOUS_README = [
  '# Evil readme', 'Some **bold** text.',
  '<script>window.pwned = "script"</script>',
  '<img src="/nothing.png" alt="x" onerror="window.pwned = \'onerror\'">',
  '<a id="js-link" href="javascript:window.pwned = \'link\'">click me</a>',
  '<iframe src="/-/web/"></iframe>',
  '<div onmouseover="window.pwned = \'hover\'">hover me</div>',
].join('\n\n');

/**
 * The web console (README "Web console") in Debian's chromium against the built proxy: search, a package page,
 * a version held by the release-age cooldown explained, a malicious README inert, reading without JavaScript,
 * the keyboard path, usage from a lake snapshot stored by the real writer, and axe-core with no serious or critical
 * violation. Screenshots: .test-results/web-console/.
 */
describe('web console in a real browser', () => {
  let world: E2eWorld;
  let proxy: ProxyProcess;
  let browser: Browser;
  let context: BrowserContext;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'web-e2e-store-'));
    world = await createE2eWorld('web', { PATH });
    world.upstream.setPackage('cool-pkg', {
      '1.0.0': { tarball: randomBytes(300), publishedAt: new Date(Date.now() - 30 * DAY).toISOString(), manifest: { description: 'a cool package', dependencies: { 'evil-readme': '^1.0.0' } } },
      '1.1.0': { tarball: randomBytes(300), publishedAt: new Date().toISOString() },
    }, { latest: '1.1.0' });
    world.upstream.setPackage('evil-readme', {
      '1.0.0': { tarball: randomBytes(200), publishedAt: new Date(Date.now() - 30 * DAY).toISOString(), manifest: { readme: MALICIOUS_README, homepage: 'javascript:window.pwned="homepage"' } },
    });
    proxy = await world.startProxy({ REGISTRY_MIN_RELEASE_AGE: '3d', DATA_DIR: dataDir, WEB_CONSOLE_USAGE_RECHECK_MS: '0' });
    browser = await launchChromium();
    // The page's CSP would stop a script anyway: bypass it, so what is proven inert here is the sanitizer's doing.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('searches by keyboard, opens a package and explains the version the firewall holds', async () => {
    const page = await context.newPage();
    await page.goto(`${proxy.url}/-/web/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.getByLabel('Search packages').focus();
    await page.keyboard.type('cool');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/-\/web\/\?q=cool/);
    await screenshot(page, 'search');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'cool-pkg' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/-\/web\/package\/cool-pkg$/);
    const held = page.getByRole('region', { name: 'Held by the firewall' });
    expect(await held.textContent()).toMatch(/1\.1\.0\s*cooldown.*held by the release-age cooldown \(3d\): available from/s);
    expect(await page.locator('aside').textContent()).toContain('latest1.0.0');
    expect(await page.textContent('main')).toContain('npm install cool-pkg');
    await screenshot(page, 'package-held');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('renders a malicious README inert: no script ran, no frame, no script link, no handler', async () => {
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(`${proxy.url}/-/web/package/evil-readme`);
    const readme = page.locator('.readme-body');
    expect(await readme.locator('h1').textContent()).toBe('Evil readme');
    expect(await readme.locator('strong').textContent()).toBe('bold');
    await page.getByText('click me').click();
    await page.getByText('hover me').hover();
    expect(await page.evaluate(() => ({
      pwned: (window as unknown as { pwned?: string }).pwned ?? null,
      scripts: document.querySelectorAll('script').length,
      frames: document.querySelectorAll('iframe').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      scriptLinks: [...document.querySelectorAll('[href], [src]')].filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? '')).length,
    }))).toEqual({ pwned: null, scripts: 0, frames: 0, handlers: [], scriptLinks: 0 });
    expect(dialogs).toEqual([]);
    await screenshot(page, 'package-readme');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('reads without JavaScript: the search form and the package page work as plain HTML', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await noScript.newPage();
      await page.goto(`${proxy.url}/-/web/`);
      await page.getByLabel('Search packages').fill('evil');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\?q=evil/);
      await page.getByRole('link', { name: 'evil-readme' }).click();
      await page.waitForURL(/\/package\/evil-readme$/);
      expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toBe('evil-readme');
    } finally {
      await noScript.close();
    }
  });

  it('shows downloads per version from the lake\'s usage snapshot, put into the store by tools/lake/usage.sh\'s writer', async () => {
    const page = await context.newPage();
    await page.goto(`${proxy.url}/-/web/usage`);
    expect(await page.textContent('main')).toContain('No usage snapshot is stored');
    const file = path.join(dataDir, 'usage.json');
    const now = new Date();
    await writeFile(file, JSON.stringify({
      generated_at: now.toISOString(), window_days: 30, from: new Date(now.getTime() - 30 * DAY).toISOString(), to: now.toISOString(),
      registries: [{ registry: 'npm', downloads: 12, cache: 9, upstream: 3, private: 0 }, { registry: 'pypi', downloads: 0, cache: 0, upstream: 0, private: 0 }],
      versions: [{ registry: 'npm', package: 'cool-pkg', version: '1.0.0', downloads: 12, cache: 9, upstream: 3, private: 0 }],
    }));
    execFileSync('npx', ['--no-install', 'tsx', '--tsconfig', 'tsconfig.base.json', 'tools/lake/put-usage-snapshot.ts', '--file', file], {
      cwd: REPO_ROOT, env: { PATH, HOME: process.env['HOME'] ?? dataDir, STORAGE_DRIVER: 'fs', DATA_DIR: dataDir }, timeout: 60_000,
    });
    await page.reload();
    expect(await page.getByRole('region', { name: 'Per registry' }).textContent()).toMatch(/npm\s*12\s*9\s*3\s*75\.0%/);
    await screenshot(page, 'usage');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'cool-pkg' }).click();
    await page.waitForURL(/\/-\/web\/package\/cool-pkg$/);
    expect(await page.getByRole('region', { name: 'Usage' }).textContent()).toMatch(/12 downloads: 9 from the cache, 3 from the upstream.*1\.0\.0\s*12\s*9\s*3/s);
    await screenshot(page, 'package-usage');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
