/**
 * Real Chromium (Debian's, at /usr/bin/chromium: scripts/test-env/chromium.sh installs it) driven by
 * playwright-core, headless, with a fresh profile; the page gets the test bridge's window.cogdesk before any
 * of its own scripts run. Screenshots go to test-artifacts/e2e/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bridgeClientScript } from '../bridge/server';

export const CHROMIUM = process.env.COGDESK_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve(__dirname, '../../../test-artifacts/e2e');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors, and uncaught exceptions: a test can insist there are none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Opens the built window in Chromium over a test bridge, and waits until the page listens for the
 * bridge's events (so no task or prediction event is missed).
 */
export async function openApp(bridge: { url: string; listeners(): number }, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Browser> {
  const url = bridge.url;
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: run scripts/test-env/chromium.sh (apt-get install -y chromium) first`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'cogdesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce', // steady screenshots: no spinners mid-turn, no bars mid-transition
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  await context.addInitScript({ content: bridgeClientScript() });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) pageErrors.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.goto(url);
  for (const deadline = Date.now() + 10_000; bridge.listeners() === 0; ) {
    if (Date.now() > deadline) throw new Error('the page did not listen for events within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test-artifacts/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
