/**
 * How many predictions a model runs at once, in the window (issue 14), in the BUILT renderer in Chromium
 * over the real core: the local model's page shows what the image says (coglet echo with
 * COG_MAX_CONCURRENCY=4), takes the person's own number and goes back to the image's; while predictions
 * run, the version's warm badge and the history show running (processing) and queued (starting) apart.
 * Screenshots: test-artifacts/e2e/concurrency-*.png.
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
  win = await openWindow('concurrency', {
    env: { COGDESK_REGISTRY: OPEN_REGISTRY },
    beforeOpen: async (bridge) => {
      version = await bridge.core.ensureVersion(fixtureImage('coglet-echo-c4'));
    },
  });
  page = win.page;
}, 180_000);

afterAll(() => win?.close());

describe('predictions at once, in the window', { timeout: 180_000 }, () => {
  it("the model's page shows the image's limit, takes the person's own, and shows running and queued apart", async () => {
    const MODEL = version.modelId;
    await nav(page, 'Library');
    await page.locator(`tbody[data-model-id="${MODEL}"]`).getByRole('button', { name: MODEL, exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(MODEL);
    const section = page.getByTestId('model-concurrency');
    await expect.poll(() => section.textContent()).toContain("4 at once: its image's COG_MAX_CONCURRENCY.");

    // The person's own number, saved for the model.
    await section.getByLabel('Predictions at once').fill('2');
    await section.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.textContent()).toContain('Your setting: 2 at once (the image says 4).');
    expect((await win.bridge.core.getModelSettings(MODEL)).concurrency).toBe(2);

    // Three predictions: two run, one waits, and the page says so.
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await win.bridge.core.createPrediction({ version: version.id, input: { text: `c${i}`, sleep: 8 } })).id);
    const item = page.locator(`li[data-version-id="${version.id}"]`);
    await expect.poll(() => item.textContent(), { timeout: 60_000 }).toContain('2 running, 1 queued (2 at once)');
    await screenshot(page, 'concurrency-local-model');
    await nav(page, 'Predictions');
    await expect.poll(() => page.locator('.badge.status-processing').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.locator('.badge.status-starting').count()).toBe(1);
    expect(await page.locator('.badge.status-starting').getAttribute('title')).toMatch(/^Queued/);
    await screenshot(page, 'concurrency-history');
    for (const id of ids) await win.bridge.core.cancelPrediction(id);

    // Back to the image's own.
    await nav(page, 'Library');
    await page.locator(`tbody[data-model-id="${MODEL}"]`).getByRole('button', { name: MODEL, exact: true }).click();
    await section.getByRole('button', { name: "Use the image's" }).click();
    await expect.poll(() => section.textContent()).toContain("4 at once: its image's COG_MAX_CONCURRENCY.");
    expect((await win.bridge.core.getModelSettings(MODEL)).concurrency).toBeNull();
  });
});
