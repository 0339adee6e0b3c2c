/**
 * What runs cost, and two runs side by side, in the BUILT renderer in Chromium over the real core (real Docker,
 * the test registry, SQLite). COGDESK_REGISTRY is the test registry, so the fixture models count as pulled from
 * Replicate; the core talks to the fake Replicate API (COGDESK_REPLICATE_API).
 * - Prices: a prices file set in Settings (a bad one refused with what is wrong), used for every cost shown.
 * - Each local run says what it would have cost on Replicate's hardware matched to this machine; the history
 *   has a Cost column and totals per model and per day.
 * - Compare: two ticked rows side by side, the input that differs marked, predict time and cost of each.
 * Screenshots: test-artifacts/e2e/cloud-*.png.
 */
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/main/core/remote';
import { formatDollars, localDay } from '../../src/shared/cost';
import type { Prediction } from '../../src/shared/domain';
import { BUILTIN_PRICES } from '../../src/shared/prices';
import { OPEN_REGISTRY } from '../helpers/fixtures';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../fakes/replicate-api';
import { startBridge, type TestBridge } from './bridge/server';
import { openApp, screenshot, type Browser } from './helpers/browser';
import { nav, setEnv } from './helpers/page';

/** Half a dollar per second of every SKU: costs large enough to read, the same whatever this machine matches. */
const PRICE = 0.5;

let restoreEnv: (() => void) | undefined;
let home: string;
let fake: FakeReplicate;
let bridge: TestBridge;
let browser: Browser;
let page: Page;
let machineSku: string;
const local: Prediction[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'cogdesk-e2e-cloud-'));
  fake = await startFakeWithFixtures();
  restoreEnv = setEnv({ COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY });
  bridge = await startBridge({ home, tokenStore: memoryTokenStore(FAKE_TOKEN) });
  const match = (await bridge.core.getHardware()).match;
  machineSku = (match.sku ?? match.nearest)!;
  browser = await openApp(bridge);
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  await fake?.close();
  restoreEnv?.();
  if (home) rmSync(home, { recursive: true, force: true });
});

const wouldCost = (p: Prediction) => PRICE * p.metrics!.predict_time!;

describe('what runs cost, in the window', () => {
  it('Settings: a bad prices file is refused with what is wrong; a good one is used, with its date', async () => {
    const bad = join(home, 'bad-prices.json');
    writeFileSync(bad, JSON.stringify({ date: 'last week', perSecond: { cpu: 'cheap' } }));
    const good = join(home, 'prices.json');
    writeFileSync(good, JSON.stringify({ date: '2026-04-01', perSecond: Object.fromEntries(Object.keys(BUILTIN_PRICES.perSecond).map((s) => [s, PRICE])) }));

    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Library');
    await nav(page, 'Settings');
    const field = page.getByLabel('Prices file');
    await field.fill(bad);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const error = page.locator('#s-prices-file ~ .field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(`pricesFile: The prices file ${bad} was not used: "date" must be the day the prices were read, as YYYY-MM-DD; the price of cpu must be a number of dollars per second, 0 or more.`);
    expect((await bridge.core.getSettings()).pricesFile).toBe('');
    await screenshot(page, 'cloud-prices-file-refused');

    await field.fill(good);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').count()).toBe(1);
    await expect.poll(() => page.getByTestId('prices-in-use').textContent()).toBe(`In use: Replicate's prices of 2026-04-01 (${good}).`);
    expect((await bridge.core.getPrices()).date).toBe('2026-04-01');
  });

  it('each local run says what it would have cost on Replicate; the history has costs and totals per model and per day', async () => {
    const echo = (await bridge.core.listVersions('fixtures/echo'))[0];
    for (const text of ['a quick brown fox', 'a lazy dog']) {
      const p = await bridge.core.createPrediction({ version: echo.id, input: { text }, source: 'app' });
      local.push(await bridge.core.waitForPrediction(p.id));
    }
    expect(local.map((p) => p.status)).toEqual(['succeeded', 'succeeded']);

    await nav(page, 'Predictions');
    for (const p of local) {
      const cell = page.locator(`tr[data-prediction-id="${p.id}"]`).getByTestId('cost-cell');
      await expect.poll(() => cell.textContent()).toBe(`~${formatDollars(wouldCost(p))}`);
      expect(await cell.getAttribute('title')).toBe(`on Replicate's ${machineSku} this would have cost ${formatDollars(wouldCost(p))}`);
    }
    const totals = page.getByRole('group', { name: 'Cost totals' });
    await totals.locator('summary').click();
    const byModel = page.getByRole('table', { name: 'Totals per model' }).locator('tr[data-total="fixtures/echo"]');
    expect(await byModel.getByTestId('total-would').textContent()).toBe(`~${formatDollars(wouldCost(local[0]) + wouldCost(local[1]))}`);
    expect(await byModel.getByTestId('total-billed').textContent()).toBe('$0');
    const byDay = page.getByRole('table', { name: 'Totals per day' }).locator(`tr[data-total="${localDay(local[0].createdAt)}"]`);
    expect(await byDay.locator('td').first().textContent()).toBe('2');
    await screenshot(page, 'cloud-history-costs');

    await page.locator(`tr[data-prediction-id="${local[0].id}"]`).getByRole('button', { name: local[0].id.slice(0, 10) }).click();
    const line = page.getByTestId('cost');
    await line.waitFor();
    expect(await line.textContent()).toBe(`on Replicate's ${machineSku} this would have cost ${formatDollars(wouldCost(local[0]))}`);
    expect(await line.getAttribute('data-cost-kind')).toBe('would');
  });

  it('Compare: two ticked predictions side by side, the input that differs marked, predict time and cost of each', async () => {
    await nav(page, 'Predictions');
    const compare = page.getByRole('button', { name: 'Compare', exact: true });
    expect(await compare.isDisabled()).toBe(true);
    for (const p of local) await page.getByRole('checkbox', { name: `Select ${p.id.slice(0, 10)} to compare` }).check();
    await compare.click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Compare');
    const inputs = page.getByRole('table', { name: 'Inputs' });
    const text = inputs.locator('tbody tr', { has: page.locator('th', { hasText: /^text$/ }) });
    expect(await text.getAttribute('data-differs')).toBe('true');
    expect(await text.locator('td').allTextContents()).toEqual(['a quick brown fox', 'a lazy dog']);
    expect(await page.getByText('1 input differs').count()).toBe(1);
    for (const p of local) {
      const side = page.locator(`section.compare-side[data-prediction-id="${p.id}"]`);
      expect(await side.getByTestId('where').textContent()).toContain('Ran here');
      expect(await side.getByTestId('predict-time').textContent()).toMatch(/^Predict time: \d/);
      expect(await side.getByTestId('cost').textContent()).toBe(`on Replicate's ${machineSku} this would have cost ${formatDollars(wouldCost(p))}`);
    }
    await screenshot(page, 'cloud-compare-local');
  });
});
