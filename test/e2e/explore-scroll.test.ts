/**
 * Explore with 10,000 models (issue #5), end to end: the BUILT renderer in Chromium over the real core, whose
 * catalog pages through the fake Replicate API holding 10,000 models (growWorld), 100 a page as GET /models
 * answers, with cursors. Pins behaviour, not timing: the list is reachable with Tab and scrolls with
 * PageDown/End and the mouse wheel; scrolling to the end loads every page (data-count reaches 10,000, each
 * model once, in the API's order); the last model's card can be reached and opened with Enter; and at every
 * DOM change only a few cards are mounted (the list is virtualized). Frame times: `npm run bench:scroll`.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/main/core/remote';
import { OPEN_REGISTRY } from '../helpers/fixtures';
import { expectAnswersValid, FAKE_TOKEN, startFakeOffline, type FakeReplicate } from '../fakes/replicate-api';
import { growWorld, listOrder } from '../fakes/replicate-api/many-models';
import { screenshot } from './helpers/browser';
import { openWindow, type TestWindow } from './helpers/window';

const TOTAL = 10_000;
const PAGE_SIZE = 100;
/** Mounted cards allowed at once: a viewport of 120 px rows plus the overscan, far below the 10,000. */
const MOUNTED_MAX = 60;

let fake: FakeReplicate;
let win: TestWindow;
let page: Page;
let order: string[];

const list = (): Locator => page.getByRole('list', { name: 'Newest models' });
const count = async (): Promise<number> => Number(await list().getAttribute('data-count'));
const activeIsList = async (): Promise<boolean> => (await page.evaluate(`document.activeElement?.getAttribute('aria-label') === 'Newest models'`)) === true;
const LIST = `document.querySelector('[role=list][aria-label="Newest models"]')`;
const activeCard = async (): Promise<string | null> => (await page.evaluate(`document.activeElement?.closest('[data-remote-model]')?.getAttribute('data-remote-model') ?? null`)) as string | null;
const scrollTop = async (): Promise<number> => Number(await page.evaluate(`${LIST}.scrollTop`));
const mountedIds = async (): Promise<string[]> =>
  (await page.evaluate(`[...${LIST}.querySelectorAll('[data-remote-model]')].map((e) => e.getAttribute('data-remote-model'))`)) as string[];

beforeAll(async () => {
  fake = await startFakeOffline({ pageSize: PAGE_SIZE });
  growWorld(fake.world, TOTAL);
  // No cover leaves loopback: the recorded models' covers point at replicate.delivery.
  for (const m of fake.world.models.values()) m.cover_image_url = null;
  order = listOrder(fake.world);
  win = await openWindow('scroll', {
    // The fit badges read image labels from the registry: the test registry's (it has none of these), not r8.im.
    env: { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY },
    bridge: { tokenStore: memoryTokenStore(FAKE_TOKEN) },
  });
  page = win.page;
  // The most cards mounted in the list at any DOM change (a MutationObserver sees every one).
  await page.evaluate(`(() => {
    window.mountedMax = 0;
    new MutationObserver(() => {
      const n = document.querySelectorAll('[aria-label="Newest models"] [data-remote-model]').length;
      if (n > window.mountedMax) window.mountedMax = n;
    }).observe(document.body, { subtree: true, childList: true });
  })()`);
}, 180_000);

afterAll(async () => {
  await win?.close();
  await fake?.close();
});

describe('Explore with 10,000 models', () => {
  it('the fake holds 10,000 models and pages them 100 at a time', () => {
    expect(fake.world.models.size).toBe(TOTAL);
    expect(new Set(order).size).toBe(TOTAL);
  });

  it('the list is reached with Tab and scrolls with PageDown and End (End near the end loads the next page)', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Explore', exact: true }).click();
    await list().waitFor();
    await expect.poll(count).toBe(PAGE_SIZE);
    // From the search box, Tab walks through the collections to the list itself.
    await page.getByLabel('Search models').focus();
    for (let i = 0; i < 60 && !(await activeIsList()); i++) await page.keyboard.press('Tab');
    expect(await activeIsList()).toBe(true);
    expect(await scrollTop()).toBe(0);
    await page.keyboard.press('PageDown');
    await expect.poll(scrollTop).toBeGreaterThan(0);
    const afterPageDown = await scrollTop();
    await page.keyboard.press('PageDown');
    await expect.poll(scrollTop).toBeGreaterThan(afterPageDown);
    await page.keyboard.press('End');
    await expect.poll(count).toBe(2 * PAGE_SIZE);
    expect(await activeIsList()).toBe(true);
    const ids = await mountedIds();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(MOUNTED_MAX);
    for (const id of ids) expect(order.slice(0, 2 * PAGE_SIZE)).toContain(id);
  });

  it('scrolling (wheel and End) loads all 10,000, each once and in order, with few cards mounted at any time', async () => {
    const box = await list().boundingBox();
    if (!box) throw new Error('the list has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    let seen = await count();
    for (let step = 0; seen < TOTAL; step++) {
      // Alternate the mouse wheel and the keyboard (the list keeps the focus: cards unmount under it).
      if (step % 2 === 0) await page.mouse.wheel(0, 40 * PAGE_SIZE * 120);
      else await page.keyboard.press('End');
      const before = seen;
      await expect.poll(count, { timeout: 30_000, message: `a page after ${before} models` }).toBeGreaterThan(before);
      seen = await count();
      expect(seen % PAGE_SIZE === 0 || seen === TOTAL).toBe(true);
      const mounted = await list().locator('[data-remote-model]').count();
      expect(mounted).toBeGreaterThan(0);
      expect(mounted).toBeLessThan(MOUNTED_MAX);
    }
    expect(seen).toBe(TOTAL);
    expect(await activeIsList()).toBe(true);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    // Every page was asked for once, with the cursor the previous one gave.
    const pages = fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models');
    expect(pages.length).toBe(TOTAL / PAGE_SIZE);
    expect(new Set(pages.map((r) => r.query.cursor ?? '')).size).toBe(TOTAL / PAGE_SIZE);
  }, 300_000);

  it('the last model\'s card is reached and opens with Enter; never more than a few cards were mounted', async () => {
    await page.keyboard.press('End');
    const last = order[TOTAL - 1];
    const card = list().locator(`[data-remote-model="${last}"]`);
    await card.waitFor();
    // The cards at the end are the API's last models, in its order.
    const ids = await mountedIds();
    expect(ids.at(-1)).toBe(last);
    expect(ids).toEqual(order.slice(TOTAL - ids.length));
    await screenshot(page, 'explore-scroll-end');
    // Tab from the list walks through the mounted cards' links, down to the last one.
    for (let i = 0; i < MOUNTED_MAX * 2 && (await activeCard()) !== last; i++) await page.keyboard.press('Tab');
    expect(await activeCard()).toBe(last);
    expect(await page.evaluate(`document.activeElement.textContent`)).toBe(last);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(last);
    // Back to Explore: the same 10,000 and the same place, without asking the API for the pages again.
    const asked = fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length;
    await page.getByRole('button', { name: 'Back to Explore' }).click();
    await card.waitFor();
    expect(await count()).toBe(TOTAL);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length).toBe(asked);
    const mountedMax = (await page.evaluate('window.mountedMax')) as number;
    expect(mountedMax).toBeGreaterThan(0);
    expect(mountedMax).toBeLessThan(MOUNTED_MAX);
    expect(win.browser.pageErrors).toEqual([]);
    expectAnswersValid(fake);
  });
});
