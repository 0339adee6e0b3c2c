/**
 * The cliBackgroundServer setting in the window (issue 16, item 1), in the BUILT renderer in Chromium over the
 * real core: off by default, its label says what it does, and Save keeps it (what `cogdesk run` reads).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nav } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

let win: TestWindow;
let page: Page;

beforeAll(async () => {
  win = await openWindow('clibg');
  page = win.page;
}, 180_000);

afterAll(() => win?.close());

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
    expect((await win.bridge.core.getSettings()).cliBackgroundServer).toBe(true);
    await box.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await win.bridge.core.getSettings()).cliBackgroundServer).toBe(false);
  });
});
