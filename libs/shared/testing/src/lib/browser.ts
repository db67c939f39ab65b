import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import axe from 'axe-core';

/** The repository's root (this file is libs/shared/testing/src/lib/browser.ts). */
const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/** Where the console's screenshots are kept as test artefacts (looked at by a person, not compared). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, '.test-results', 'web-console');

/** Debian's chromium (installed by the project's script when missing), driven headless by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'tools/lake/install-chromium.sh')], { encoding: 'utf8' });
  const executablePath = out.trim().split('\n').pop() as string;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // Root in a container has no user namespaces for chromium's sandbox.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: number;
}

/** axe-core's serious and critical findings on the page as it is now (the console's bar: none). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
}

export const screenshot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
