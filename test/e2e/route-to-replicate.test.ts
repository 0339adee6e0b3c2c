/**
 * The local API's routing to Replicate, in the window (issue 17, item 5), in the BUILT renderer in Chromium
 * over the real core: Settings turns routing on and off (saved as routeToReplicate), and a local model's
 * page marks it "Local only" (saved at once, kept in model_settings). Screenshots: test-artifacts/e2e/route-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../src/shared/domain';
import { fixtureImage, OPEN_REGISTRY } from '../helpers/fixtures';
import { screenshot } from './helpers/browser';
import { nav } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

let win: TestWindow;
let page: Page;
let version: Version;

beforeAll(async () => {
  win = await openWindow('route', {
    env: { COGDESK_REGISTRY: OPEN_REGISTRY },
    beforeOpen: async (bridge) => {
      version = await bridge.core.ensureVersion(fixtureImage('echo'));
    },
  });
  page = win.page;
}, 180_000);

afterAll(() => win?.close());

describe('routing the local API to Replicate, in the window', { timeout: 120_000 }, () => {
  it('Settings turns routing to Replicate on (off by default) and off again', async () => {
    await nav(page, 'Settings');
    const box = page.getByLabel('Run a model that is not here on Replicate, with your Replicate token');
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await win.bridge.core.getSettings()).routeToReplicate).toBe(true);
    await screenshot(page, 'route-settings');
    await box.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await win.bridge.core.getSettings()).routeToReplicate).toBe(false);
  });

  it("a local model's page marks it Local only, saved at once and shown again on the next visit", async () => {
    const MODEL = version.modelId;
    await nav(page, 'Library');
    await page.locator(`tbody[data-model-id="${MODEL}"]`).getByRole('button', { name: MODEL, exact: true }).click();
    const section = page.getByTestId('model-local-only');
    const box = section.getByRole('checkbox');
    await box.waitFor();
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await expect.poll(async () => (await win.bridge.core.getModelSettings(MODEL)).localOnly).toBe(true);
    await screenshot(page, 'route-local-only');

    await nav(page, 'Settings');
    await nav(page, 'Library');
    await page.locator(`tbody[data-model-id="${MODEL}"]`).getByRole('button', { name: MODEL, exact: true }).click();
    await expect.poll(() => page.getByTestId('model-local-only').getByRole('checkbox').isChecked()).toBe(true);
    await page.getByTestId('model-local-only').getByRole('checkbox').uncheck();
    await expect.poll(async () => (await win.bridge.core.getModelSettings(MODEL)).localOnly).toBe(false);
  });
});
