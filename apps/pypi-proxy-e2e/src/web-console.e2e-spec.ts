import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makeWheel } from '@registry/pypi-testing';
import { freePort, makeTempDir, startAppProcess, type AppProcess } from '@registry/shared-testing';
import { launchChromium, screenshot, seriousAxeViolations } from '@registry/shared-testing/browser';

const REPO_ROOT = path.resolve(__dirname, '../../..');

const PATH = process.env['PATH'] ?? '';
const ADMIN = { REGISTRY_ADMIN_USER: 'root', REGISTRY_ADMIN_PASSWORD: 'root-password-123' };
const EVIL_DESCRIPTION = '# Demo package\n\nSome **bold** text.\n\n<script>window.pwned = "script"</script>\n\n<img src="/x.png" alt="x" onerror="window.pwned = \'onerror\'">\n\n[click me](javascript:window.pwned=\'link\')';

/** A file upload the way twine sends it (multipart, Basic credentials). */
async function uploadWheel(pypiUrl: string, auth: string): Promise<void> {
  const wheel = makeWheel({ name: 'demo-pkg', version: '1.2.0', summary: 'A demo package', requiresDist: ['requests>=2'], description: EVIL_DESCRIPTION, descriptionContentType: 'text/markdown' });
  const form = new FormData();
  const fields = { ':action': 'file_upload', protocol_version: '1', name: 'demo-pkg', version: '1.2.0', filetype: 'bdist_wheel', pyversion: 'py3', metadata_version: '2.1', sha256_digest: wheel.sha256 };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('content', new Blob([new Uint8Array(wheel.bytes)]), wheel.filename);
  const res = await fetch(`${pypiUrl}/legacy/`, { method: 'POST', body: form, headers: { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } });
  if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
}

async function checkedPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousAxeViolations(page)).toEqual([]);
}

/**
 * The console over both registries in Debian's chromium, each proxy built and started as a process over one store
 * (one identity): log in by keyboard, search with the PyPI filter, open a PyPI project (its malicious description
 * inert), create a token that npm then accepts and revoke it, the admin page, log out. axe-core on each page;
 * screenshots in .test-results/web-console/.
 */
describe('one web console for both registries, in a real browser', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let pypi: AppProcess;
  let npm: AppProcess;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    temp = await makeTempDir('pypi-e2e-web-console-');
    // One store for both proxies, as deployed: one identity, one firewall policy. Both private-only.
    const env = { PATH, DATA_DIR: path.join(temp.dir, 'store'), ...ADMIN };
    // Ports chosen first: each console links to the other (WEB_CONSOLE_PEER_URL).
    const [pypiPort, npmPort] = [await freePort(), await freePort()];
    const urlOf = (port: number) => `http://127.0.0.1:${port}`;
    pypi = await startAppProcess({ root: REPO_ROOT, app: 'pypi-proxy', ports: { PYPI_PROXY_PORT: pypiPort }, env: { ...env, WEB_CONSOLE_PEER_URL: urlOf(npmPort) }, timeoutMs: 30_000 });
    npm = await startAppProcess({ root: REPO_ROOT, app: 'npm-proxy', ports: { NPM_PROXY_PORT: npmPort }, env: { ...env, WEB_CONSOLE_PEER_URL: urlOf(pypiPort) }, timeoutMs: 30_000 });
    await uploadWheel(pypi.url, `${ADMIN.REGISTRY_ADMIN_USER}:${ADMIN.REGISTRY_ADMIN_PASSWORD}`);
    browser = await launchChromium();
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await npm?.stop();
    await pypi?.stop();
    await temp?.remove();
  });

  it('logs in with the form by keyboard and shows the account', async () => {
    const page = await context.newPage();
    await page.goto(`${npm.url}/-/web/`);
    await page.getByRole('link', { name: 'Log in' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/-\/web\/login$/);
    await checkedPage(page, 'login');
    await page.getByLabel('User name').focus();
    await page.keyboard.type(ADMIN.REGISTRY_ADMIN_USER);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.REGISTRY_ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/-\/web\/account$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your account');
    await checkedPage(page, 'account');
  });

  it('searches with the PyPI filter and opens the PyPI project, its description rendered inert', async () => {
    const page = await context.newPage();
    await page.goto(`${npm.url}/-/web/`);
    await page.getByLabel('Search packages').fill('demo');
    await page.getByLabel('Registry').selectOption('pypi');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/registry=pypi/);
    await checkedPage(page, 'search-pypi');
    await page.getByRole('link', { name: 'demo-pkg' }).click();
    await page.waitForURL(`${pypi.url}/-/web/project/demo-pkg`);
    const readme = page.locator('.readme-body');
    expect(await readme.locator('h1').textContent()).toBe('Demo package');
    await page.getByText('click me').click();
    expect(await page.evaluate(() => ({
      pwned: (window as unknown as { pwned?: string }).pwned ?? null,
      scripts: document.querySelectorAll('script').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    }))).toEqual({ pwned: null, scripts: 0, handlers: [] });
    expect(await page.textContent('main')).toContain('pip install --index-url');
    expect(await page.textContent('main')).toContain('requests>=2');
    await checkedPage(page, 'pypi-project');
    // The PyPI console's search over both registries, answered by its own index and the npm console's.
    await page.getByLabel('Search packages').fill('demo');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${pypi.url}/-/web/?q=demo&registry=all`);
    expect(await page.getByRole('region', { name: /^npm/ }).textContent()).toContain('No npm package matches.');
    expect(await page.getByRole('link', { name: 'demo-pkg' }).getAttribute('href')).toBe('/-/web/project/demo-pkg');
    await checkedPage(page, 'search-all');
  });

  it('creates a token shown once that npm accepts, then revokes it and npm refuses it', async () => {
    const page = await context.newPage();
    await page.goto(`${npm.url}/-/web/account`);
    await page.getByLabel('Description').fill('e2e token');
    await page.getByLabel('Read-only (install)').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('#new-token').textContent()) as string;
    await checkedPage(page, 'token-created');
    const whoami = () => fetch(`${npm.url}/-/whoami`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);
    expect(await whoami()).toBe(200);
    await page.goto(`${npm.url}/-/web/account`);
    expect(await page.textContent('main')).not.toContain(secret);
    await page.getByRole('button', { name: `Revoke token ${secret.slice(0, 6)}…` }).click();
    await page.waitForURL(/\/-\/web\/account$/);
    expect(await whoami()).toBe(401);
  });

  it('shows the admin page to the admin: users, the firewall, a user created by the form', async () => {
    const page = await context.newPage();
    await page.goto(`${npm.url}/-/web/admin`);
    await page.getByLabel('User name').fill('carol');
    await page.getByLabel('Password').fill('carol-password-123');
    await page.getByRole('button', { name: 'Create user' }).click();
    expect(await page.getByRole('status').first().textContent()).toContain('Created carol');
    await checkedPage(page, 'admin');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${npm.url}/-/web/`);
    const after = await page.goto(`${npm.url}/-/web/admin`);
    expect(after?.status()).toBe(401);
  });
});
