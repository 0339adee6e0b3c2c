/**
 * The cliBackgroundServer setting in the window (issue 16, item 1), in the BUILT renderer in Chromium over the
 * real core: off by default, its label says what it does, and Save keeps it (what `cogdesk run` reads).
 */
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from './bridge/server';
import { openApp, type Browser } from './helpers/browser';
import { nav } from './helpers/page';

let home: string;
let bridge: TestBridge;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'cogdesk-e2e-clibg-'));
  bridge = await startBridge({ home });
  browser = await openApp(bridge);
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('a background server for cogdesk run, in Settings', { timeout: 120_000 }, () => {
  it('is off by default; checked and saved, the setting is on; unchecked and saved, off again', async () => {
    await nav(page, 'Settings');
    const box = page.getByLabel('cogdesk run starts a background server that keeps models warm, and exits after the idle timeout');
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await page.getByText('The background server exits once it has had nothing to do for 300 s').waitFor();
    await box.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await bridge.core.getSettings()).cliBackgroundServer).toBe(true);
    await box.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await bridge.core.getSettings()).cliBackgroundServer).toBe(false);
  });
});
