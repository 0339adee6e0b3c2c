/**
 * Kept weights in the window (issue 13), in the BUILT renderer in Chromium over the real core (real Docker,
 * the test registry, SQLite). The `weights` fixture's setup downloads 4 MiB from a server this test runs on
 * the Docker bridge (counting requests); the core keeps what a setup wrote from 1 MiB on (the default is
 * 32 MiB). A run in the Playground downloads and keeps; the Library's column and the version's line, the
 * model's page and Settings show the size; Forget (asked, then done) frees it, in Docker's own image list;
 * with the setting off a start downloads again and keeps nothing.
 * Screenshots: test-artifacts/e2e/weights-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homePaths } from '../../src/main/core/paths';
import { WEIGHTS_LABELS } from '../../src/main/core/runner/weights';
import type { Version } from '../../src/shared/domain';
import { formatBytes } from '../../src/shared/format';
import { docker } from '../helpers/core';
import { fixtureImage, OPEN_REGISTRY } from '../helpers/fixtures';
import { startWeightsServer, type WeightsServer } from '../helpers/weights-server';
import { screenshot } from './helpers/browser';
import { nav, pickModel, versionRows } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

const MODEL = 'fixtures/weights';
let server: WeightsServer;
let win: TestWindow;
let page: Page;
let version: Version;

/** This data folder's kept images, as Docker lists them. */
const keptImages = () => docker.listImages({ filters: { label: [`${WEIGHTS_LABELS.home}=${homePaths(win.home).homeId}`] } });

beforeAll(async () => {
  server = await startWeightsServer(docker);
  win = await openWindow('weights', {
    env: { COGDESK_REGISTRY: OPEN_REGISTRY },
    bridge: { keepWeightsMinBytes: 1024 * 1024 },
    beforeOpen: async (bridge) => {
      version = await bridge.core.ensureVersion(fixtureImage('weights'));
    },
  });
  page = win.page;
}, 180_000);

afterAll(async () => {
  await win?.close();
  await server?.close();
  // The data folder's id is its path's: its kept images are found after the folder is gone.
  if (win) for (const image of await keptImages().catch(() => [])) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
});

/** The text of a cell of the weights model's version row in the Library (0: the version, 3: warm or cold). */
async function versionCell(n: number): Promise<string | null> {
  return (await versionRows(page, MODEL, version.id)).locator('td').nth(n).textContent();
}

/** Runs the weights model from the Playground and waits for it to succeed. */
async function runInPlayground(text: string): Promise<void> {
  await nav(page, 'Playground');
  await pickModel(page, MODEL);
  expect(await page.locator('#pick-version').inputValue()).toBe(version.id);
  await page.locator('#field-text').fill(text);
  expect(await page.locator('#field-text').inputValue()).toBe(text);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const prediction = page.locator('section[aria-label="Prediction"] article');
  await expect.poll(() => prediction.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
  expect(await prediction.textContent()).toContain(text);
}

describe('kept weights in the window', { timeout: 180_000 }, () => {
  it('a run keeps what setup downloaded; the Library, the model\'s page and Settings show it; Forget frees it', async () => {
    // The first start downloads both files and keeps them.
    await runInPlayground('first');
    expect(server.requests).toBe(2);
    const kept = await win.bridge.core.listKeptWeights(version.id);
    expect(kept).toHaveLength(1);
    const size = formatBytes(kept[0].bytes);
    expect(kept[0].bytes).toBeGreaterThanOrEqual(4 * 1024 * 1024); // the 4 MiB downloaded, and what else setup wrote

    // The Library: the model's column, sortable like the others; the version's line; the disk summary.
    await nav(page, 'Library');
    const model = page.locator(`tbody[data-model-id="${MODEL}"]`);
    await expect.poll(() => model.getByTestId('kept-weights-column').textContent()).toBe(size);
    // The kept image carries the version's Cog labels, yet it is no model of its own.
    expect(await page.locator('tbody[data-model-id*="cogdesk-weights"]').count()).toBe(0);
    const others = page.locator(`tbody[data-model-id]:not([data-model-id="${MODEL}"])`);
    expect(await others.count()).toBeGreaterThan(0); // the other fixture images are listed too, with none kept
    expect(await others.first().getByTestId('kept-weights-column').textContent()).toBe('—');
    const header = page.getByRole('columnheader', { name: /Kept weights/ });
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('tbody[data-model-id]').first().getAttribute('data-model-id')).toBe(MODEL);
    expect(await page.getByTestId('kept-weights-total').textContent()).toBe(size);
    const row = await versionRows(page, MODEL, version.id);
    expect(await row.getByTestId('kept-weights').textContent()).toContain(`weights kept: ${size}`);
    await screenshot(page, 'weights-library');

    // The model's own page: the version's kept weights, with Forget.
    await model.getByRole('button', { name: MODEL, exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(MODEL);
    const fact = page.locator(`li[data-version-id="${version.id}"]`).getByTestId('kept-weights-fact');
    await expect.poll(() => fact.textContent()).toBe(`${size}Forget`);
    expect(await page.getByTestId('local-model-summary').textContent()).toContain(`weights kept ${size}`);
    await screenshot(page, 'weights-local-model');

    // Settings: the setting (on by default) and the total, with the way to the Library.
    await nav(page, 'Settings');
    expect(await page.getByLabel('Keep downloaded weights').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('kept-weights-summary').textContent()).toBe(`${size} kept for 1 version.`);
    await screenshot(page, 'weights-settings');
    await page.getByRole('button', { name: 'See or forget them in the Library' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Library');

    // Forget: the first press asks, the second forgets; the line and the column go, and so does the image.
    const line = (await versionRows(page, MODEL, version.id)).getByTestId('kept-weights');
    await line.getByRole('button', { name: 'Forget', exact: true }).click();
    expect(await keptImages()).toHaveLength(1); // asked only
    await line.getByRole('button', { name: 'Forget weights?', exact: true }).click();
    await expect.poll(() => line.count()).toBe(0);
    await expect.poll(() => model.getByTestId('kept-weights-column').textContent()).toBe('—');
    expect(await page.getByTestId('kept-weights-total').textContent()).toBe('0 B');
    // The container started before was stopped with them (it holds their image), and the row says so.
    await expect.poll(() => versionCell(3)).toBe('cold');
    expect(await keptImages()).toEqual([]);
    expect(await win.bridge.core.listKeptWeights()).toEqual([]);
    await screenshot(page, 'weights-forgotten');
    await nav(page, 'Settings');
    await expect.poll(() => page.getByTestId('kept-weights-summary').textContent()).toBe('No weights are kept now.');
  });

  it('the model\'s page forgets a version\'s kept weights too', async () => {
    // Forgetting stopped the warm container: this start is cold, downloads again and keeps again.
    await runInPlayground('again');
    expect(server.requests).toBe(4);
    const [kept] = await win.bridge.core.listKeptWeights(version.id);
    await nav(page, 'Library');
    await page.locator(`tbody[data-model-id="${MODEL}"]`).getByRole('button', { name: MODEL, exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(MODEL);
    const fact = page.locator(`li[data-version-id="${version.id}"]`).getByTestId('kept-weights-fact');
    await expect.poll(() => fact.textContent()).toBe(`${formatBytes(kept.bytes)}Forget`);
    await fact.getByRole('button', { name: 'Forget', exact: true }).click();
    await fact.getByRole('button', { name: 'Forget weights?', exact: true }).click();
    await expect.poll(() => fact.textContent()).toBe('none');
    expect(await page.getByTestId('local-model-summary').textContent()).not.toContain('weights kept');
    expect(await keptImages()).toEqual([]);
    await expect.poll(() => page.locator(`li[data-version-id="${version.id}"]`).getByTestId('warm').textContent()).toBe('cold');
  });

  it('with "Keep downloaded weights" off, the next start downloads again and keeps nothing', async () => {
    await nav(page, 'Settings');
    await page.getByLabel('Keep downloaded weights').uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await win.bridge.core.getSettings()).keepWeights).toBe(false);

    // Forgetting stopped the warm container: this start is cold, and downloads again.
    await runInPlayground('off');
    expect(server.requests).toBe(6);
    expect(await win.bridge.core.listKeptWeights()).toEqual([]);
    expect(await keptImages()).toEqual([]);
    await nav(page, 'Library');
    await expect.poll(() => page.locator(`tbody[data-model-id="${MODEL}"]`).getByTestId('kept-weights-column').textContent()).toBe('—');
  });

  it('logged no errors in the page', () => {
    expect(win.browser.pageErrors).toEqual([]);
  });
});
