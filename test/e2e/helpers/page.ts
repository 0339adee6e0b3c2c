/**
 * What the end-to-end tests do to the window again and again: go to a page from the sidebar, record every
 * state a progress bar goes through (a pull or push can be over before a poll would see it mid-way), and
 * set environment variables for the core, put back afterwards.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Clicks a page in the sidebar and waits for its heading. */
export async function nav(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name, exact: true }).click();
  await expect.poll(() => page.locator('h1').first().textContent()).toContain(name);
}

/**
 * Picks a model in the Playground's model select and waits for ITS form, loaded: until then a fill could
 * land in the form shown before, which the loaded one replaces.
 */
export async function pickModel(page: Page, modelId: string): Promise<void> {
  await page.getByLabel('Model', { exact: true }).selectOption(modelId);
  await page.locator(`form[aria-label="Input"][data-model-id="${modelId}"][aria-busy="false"]`).waitFor();
}

/**
 * A local model's version rows in the Library's table (opened first: the table shows one row per model);
 * one version's row when `versionId` is given.
 */
export async function versionRows(page: Page, modelId: string, versionId?: string): Promise<Locator> {
  const model = page.locator(`tbody[data-model-id="${modelId}"]`);
  await model.waitFor();
  const toggle = model.getByRole('button', { name: `Versions of ${modelId}`, exact: true });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  return model.locator(versionId ? `tr[data-version-id="${versionId}"]` : 'tr[data-version-id]');
}

/**
 * Records each state of the progress bars matching `bars` (a CSS selector) as `valuenow|valuetext`, as the
 * page changes; progressSeen(page, key) answers them.
 */
export async function recordProgress(page: Page, bars: string, key: string): Promise<void> {
  await page.evaluate(`(() => {
    const seen = (window[${JSON.stringify(key)}] = []);
    new MutationObserver(() => {
      for (const bar of document.querySelectorAll(${JSON.stringify(bars)})) {
        const entry = bar.getAttribute('aria-valuenow') + '|' + bar.getAttribute('aria-valuetext');
        if (seen[seen.length - 1] !== entry) seen.push(entry);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'aria-valuetext'] });
  })()`);
}

export async function progressSeen(page: Page, key: string): Promise<string[]> {
  return (await page.evaluate(`window[${JSON.stringify(key)}] || []`)) as string[];
}

export { setEnv } from '../../helpers/env';
