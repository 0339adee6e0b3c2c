/**
 * What runs cost, and two runs side by side, in the BUILT renderer in Chromium over the real core (real Docker,
 * the test registry, SQLite). COGDESK_REGISTRY is the test registry, so the fixture models count as pulled from
 * Replicate; the core talks to the fake Replicate API (COGDESK_REPLICATE_API).
 * - Prices: a prices file set in Settings (a bad one refused with what is wrong), used for every cost shown.
 * - Each local run says what it would have cost on Replicate's hardware matched to this machine; the history
 *   has a Cost column and totals per model and per day.
 * - Compare: two ticked rows side by side, the input that differs marked, predict time and cost of each.
 * - Run on Replicate from the Playground (the fake API's predictions, driven by the test): tokens stream in,
 *   a file input reaches Replicate, one is canceled; each lands in the history marked on Replicate with its
 *   web link and what it cost (the prices file names the fixtures' hardware there); a local and a cloud run
 *   compared; totals per model count both; re-run either way; a prediction made elsewhere imported by its id.
 * Screenshots: test-artifacts/e2e/cloud-*.png.
 */
import type { Page } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/main/core/remote';
import { formatDollars, localDay } from '../../src/shared/cost';
import type { Prediction } from '../../src/shared/domain';
import { BUILTIN_PRICES } from '../../src/shared/prices';
import { OPEN_REGISTRY } from '../helpers/fixtures';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../fakes/replicate-api';
import { screenshot } from './helpers/browser';
import { nav, pickModel } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

/** Half a dollar per second of every SKU: costs large enough to read, the same whatever this machine matches. */
const PRICE = 0.5;

let fake: FakeReplicate;
let win: TestWindow;
let page: Page;
let machineSku: string;
const local: Prediction[] = [];

beforeAll(async () => {
  fake = await startFakeWithFixtures();
  win = await openWindow('cloud', {
    env: { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY },
    bridge: { tokenStore: memoryTokenStore(FAKE_TOKEN) },
    beforeOpen: async ({ core }) => {
      const match = (await core.getHardware()).match;
      machineSku = (match.sku ?? match.nearest)!;
    },
  });
  page = win.page;
}, 180_000);

afterAll(async () => {
  await win?.close();
  await fake?.close();
});

const wouldCost = (p: Prediction) => PRICE * p.metrics!.predict_time!;

/** A prices file: every SKU at PRICE, and the hardware the given models run on at Replicate. */
function writePrices(path: string, modelSkus: Record<string, string>): void {
  writeFileSync(path, JSON.stringify({ date: '2026-04-01', perSecond: Object.fromEntries(Object.keys(BUILTIN_PRICES.perSecond).map((s) => [s, PRICE])), modelSkus }));
}

describe('what runs cost, in the window', () => {
  it('Settings: a bad prices file is refused with what is wrong; a good one is used, with its date', async () => {
    const bad = join(win.home, 'bad-prices.json');
    writeFileSync(bad, JSON.stringify({ date: 'last week', perSecond: { cpu: 'cheap' } }));
    const good = join(win.home, 'prices.json');
    writePrices(good, { 'fixtures/stream': 'gpu-t4', 'fixtures/file': 'gpu-t4' });

    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Library');
    await nav(page, 'Settings');
    const field = page.getByLabel('Prices file');
    await field.fill(bad);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const error = page.locator('#s-prices-file ~ .field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(`pricesFile: The prices file ${bad} was not used: "date" must be the day the prices were read, as YYYY-MM-DD; the price of cpu must be a number of dollars per second, 0 or more.`);
    expect((await win.bridge.core.getSettings()).pricesFile).toBe('');
    await screenshot(page, 'cloud-prices-file-refused');

    await field.fill(good);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').count()).toBe(1);
    await expect.poll(() => page.getByTestId('prices-in-use').textContent()).toBe(`In use: Replicate's prices of 2026-04-01 (${good}).`);
    expect((await win.bridge.core.getPrices()).date).toBe('2026-04-01');
  });

  it('each local run says what it would have cost on Replicate; the history has costs and totals per model and per day', async () => {
    const echo = (await win.bridge.core.listVersions('fixtures/echo'))[0];
    for (const text of ['a quick brown fox', 'a lazy dog']) {
      const p = await win.bridge.core.createPrediction({ version: echo.id, input: { text }, source: 'app' });
      local.push(await win.bridge.core.waitForPrediction(p.id));
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

/** A local fixture model as the same model on the fake Replicate (its version id the local image's digest). */
function addFixtureModel(name: 'stream' | 'file', versionId: string): void {
  const echo = fake.world.models.get('fixtures/echo')!;
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/cog-images/${name}/openapi.json`, import.meta.url)), 'utf8')) as Record<string, unknown>;
  const version = { id: versionId, created_at: '2025-07-01T12:00:00.000000Z', cog_version: '0.15.5', openapi_schema: schema };
  fake.world.models.set(`fixtures/${name}`, { ...echo, name, url: `https://replicate.com/fixtures/${name}`, latest_version: version, default_example: null });
  fake.world.versions.set(`fixtures/${name}`, [version]);
}

describe('running on Replicate from the window', () => {
  beforeAll(async () => {
    for (const name of ['stream', 'file'] as const) addFixtureModel(name, (await win.bridge.core.listVersions(`fixtures/${name}`))[0].id);
  });
  const playgroundPrediction = () => page.locator('section[aria-label="Prediction"]');
  const runThere = async () => {
    await page.getByRole('button', { name: 'Run on Replicate', exact: true }).click();
  };

  it('Run on Replicate beside Run: tokens stream in, it lands in the history marked on Replicate with its link and cost', async () => {
    await nav(page, 'Playground');
    await pickModel(page, 'fixtures/stream');
    await page.locator('textarea#field-prompt').fill('cloud');
    await runThere();
    const id = await fake.predictions.created(1);
    const run = fake.predictions.runs.get(id)!;
    expect(run.body.input).toMatchObject({ prompt: 'cloud' });
    const output = playgroundPrediction().getByTestId('output-stream');
    fake.predictions.output(id, 'cloud-0 ');
    await expect.poll(() => output.textContent().catch(() => ''), { timeout: 30_000 }).toBe('cloud-0 ');
    fake.predictions.output(id, 'cloud-1 ');
    await expect.poll(() => output.textContent(), { timeout: 30_000 }).toBe('cloud-0 cloud-1 ');
    expect(await playgroundPrediction().locator('article').getAttribute('data-status')).toBe('processing');
    await screenshot(page, 'cloud-streaming');
    fake.predictions.succeed(id);
    await playgroundPrediction().locator('article[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    const ranOn = playgroundPrediction().getByTestId('ran-on');
    expect(await ranOn.textContent()).toContain('on Replicate');
    const p = (await win.bridge.core.getPrediction((await playgroundPrediction().locator('article').getAttribute('data-prediction-id'))!))!;
    expect(p.runOn).toBe('replicate');
    expect(await ranOn.getByRole('link').getAttribute('href')).toBe(p.remote!.webUrl);
    const billed = PRICE * p.metrics!.predict_time!;
    expect(await playgroundPrediction().getByTestId('cost').textContent()).toBe(`${formatDollars(billed)} on Replicate (gpu-t4, ${p.metrics!.predict_time!.toFixed(2)} s)`);
    await screenshot(page, 'cloud-playground-done');
  });

  it('a file input reaches Replicate; another run is canceled from the window', async () => {
    await pickModel(page, 'fixtures/file');
    await page.locator('input#field-image').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello file') });
    await page.locator('[data-field="image"]').getByText('hello.txt').first().waitFor();
    await runThere();
    const id = await fake.predictions.created(2);
    const image = fake.predictions.runs.get(id)!.body.input as { image: string };
    const sent = image.image.startsWith('data:')
      ? Buffer.from(image.image.split(',')[1], 'base64')
      : fake.predictions.uploads.find((u) => image.image.includes(u.id))?.bytes;
    expect(sent?.toString()).toBe('hello file');
    fake.predictions.succeed(id, fake.predictions.file('out.txt', Buffer.from('done')));
    await playgroundPrediction().locator('article[data-status="succeeded"]').waitFor({ timeout: 30_000 });

    await pickModel(page, 'fixtures/stream');
    await page.locator('textarea#field-prompt').fill('stop me');
    await runThere();
    const third = await fake.predictions.created(3);
    fake.predictions.begin(third);
    await playgroundPrediction().locator('article[data-status="processing"], article[data-status="starting"]').waitFor();
    await playgroundPrediction().getByRole('button', { name: 'Cancel', exact: true }).click();
    await playgroundPrediction().locator('article[data-status="canceled"]').waitFor({ timeout: 30_000 });
    expect(fake.predictions.runs.get(third)!.body.status).toBe('canceled');
    await screenshot(page, 'cloud-canceled');
  });

  it('the history: filtered to Replicate, a local and a cloud run of one model compared, totals counting both', async () => {
    const echo = (await win.bridge.core.listVersions('fixtures/echo'))[0];
    fake.predictions.auto = true;
    const created = await win.bridge.core.createPrediction({ version: `fixtures/echo:${echo.id}`, input: { text: 'a quick brown fox' }, source: 'app', on: 'replicate' });
    const cloud = await win.bridge.core.waitForPrediction(created.id);
    expect(cloud).toMatchObject({ status: 'succeeded', runOn: 'replicate' });
    const billed = PRICE * cloud.metrics!.predict_time!;
    // Edited in place: the history reads the prices file again, and prices echo on the T4 now (both runs).
    writePrices(join(win.home, 'prices.json'), { 'fixtures/echo': 'gpu-t4', 'fixtures/stream': 'gpu-t4', 'fixtures/file': 'gpu-t4' });

    await nav(page, 'Predictions');
    await page.getByLabel('Ran', { exact: true }).selectOption('replicate');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(4);
    expect(await page.locator(`tr[data-prediction-id="${local[0].id}"]`).count()).toBe(0);
    expect(await page.locator(`tr[data-prediction-id="${cloud.id}"]`).getByTestId('ran-on').count()).toBe(1);
    await page.getByLabel('Ran', { exact: true }).selectOption('');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(6);

    await page.getByRole('group', { name: 'Cost totals' }).locator('summary').click();
    const byModel = page.getByRole('table', { name: 'Totals per model' }).locator('tr[data-total="fixtures/echo"]');
    expect(await byModel.getByTestId('total-billed').textContent()).toBe(formatDollars(billed));
    expect(await byModel.getByTestId('total-would').textContent()).toBe(`~${formatDollars(wouldCost(local[0]) + wouldCost(local[1]))}`);
    await screenshot(page, 'cloud-history-totals');

    for (const p of [local[0], cloud]) await page.getByRole('checkbox', { name: `Select ${p.id.slice(0, 10)} to compare` }).check();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Compare');
    expect(await page.getByText('the same input').count()).toBe(1);
    const sides = page.locator('section.compare-side');
    expect(await sides.getByTestId('where').allTextContents()).toEqual([expect.stringContaining('Ran here'), expect.stringContaining('Ran on Replicate')]);
    expect(await sides.nth(1).getByTestId('cost').textContent()).toContain(`${formatDollars(billed)} on Replicate (gpu-t4`);
    expect(await sides.nth(0).getByTestId('cost').textContent()).toBe(`on Replicate's gpu-t4 this would have cost ${formatDollars(wouldCost(local[0]))}`);
    await screenshot(page, 'cloud-compare-local-and-cloud');

    // Re-run either way: the cloud run's input here, and a local run's input on Replicate.
    await sides.nth(1).getByRole('button', { name: cloud.id.slice(0, 10) }).click();
    await page.getByRole('button', { name: 'Run this input here', exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Playground');
    const here = page.locator('section[aria-label="Prediction"] article[data-status="succeeded"]');
    await here.waitFor({ timeout: 60_000 });
    const hereRun = (await win.bridge.core.getPrediction((await here.getAttribute('data-prediction-id'))!))!;
    expect(hereRun).toMatchObject({ runOn: 'local', modelId: 'fixtures/echo', versionId: echo.id, input: { text: 'a quick brown fox' } });

    await nav(page, 'Predictions');
    await page.locator(`tr[data-prediction-id="${local[1].id}"]`).getByRole('button', { name: local[1].id.slice(0, 10) }).click();
    await page.getByRole('button', { name: 'Run this input on Replicate', exact: true }).click();
    const there = page.locator('article.prediction[data-status="succeeded"]');
    await there.getByTestId('ran-on').waitFor({ timeout: 30_000 });
    const thereRun = (await win.bridge.core.getPrediction((await there.getAttribute('data-prediction-id'))!))!;
    expect(thereRun).toMatchObject({ runOn: 'replicate', modelId: 'fixtures/echo', input: { text: 'a lazy dog' } });
    expect(fake.predictions.runs.get(thereRun.remote!.id)!.body).toMatchObject({ version: echo.id });
    await screenshot(page, 'cloud-rerun-on-replicate');
  });

  it('a prediction made on Replicate elsewhere is imported by its id into the history; an unknown id says so', async () => {
    const id = fake.predictions.seed({ model: 'fixtures/echo', input: { text: 'from the web' } });
    await nav(page, 'Predictions');
    await page.getByLabel('Import a prediction from Replicate').fill(id);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('Prediction');
    const article = page.locator('article.prediction');
    await article.getByTestId('ran-on').waitFor();
    const imported = (await win.bridge.core.getPrediction((await article.getAttribute('data-prediction-id'))!))!;
    expect(imported).toMatchObject({ runOn: 'replicate', modelId: 'fixtures/echo', input: { text: 'from the web' }, remote: { id } });

    await nav(page, 'Predictions');
    await page.getByLabel('Import a prediction from Replicate').fill('nosuchprediction0000000000');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('form', { name: 'Import from Replicate' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Replicate has no prediction nosuchprediction0000000000 for this token');
    await screenshot(page, 'cloud-import-unknown');
  });
});
