/**
 * The window with realistic content, in the BUILT renderer in Chromium over the real core: a fresh data folder
 * with several fixture models pulled (and the other Cog images Docker has), real runs, kept examples, a long
 * history (about 200 predictions over two months, image outputs as real PNG files), Replicate's catalog from
 * the fake API, and an H100 nvidia-smi stand-in. Replicate's file host (covers, example outputs) answers
 * through the browser's routing with small PNGs: the one cloud the tests cannot reach.
 * - Examples you can see: the model page's examples as cards (output rendered, input as the form shows it),
 *   cover images (https, lazy); a card opens the Playground with its input.
 * - The Library as one sortable, filtered table; a clean-up of models not used for N days shows the disk it
 *   frees, then deletes them (their images leave Docker).
 * - Every page in light and dark: test-artifacts/e2e/gallery-<page>-<light|dark>.png.
 */
import type { Page, Route } from 'playwright-core';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/main/core/remote';
import type { Version } from '../../src/shared/domain';
import { formatBytes } from '../../src/shared/format';
import { docker } from '../helpers/core';
import { fixtureImage, OPEN_REGISTRY } from '../helpers/fixtures';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../fakes/replicate-api';
import { screenshot } from './helpers/browser';
import { writeHistory, type GalleryVersions } from './helpers/gallery-content';
import { pushFreshVariant } from './helpers/images';
import { nav } from './helpers/page';
import { landscapePng } from './helpers/png';
import { openWindow, type TestWindow } from './helpers/window';

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
let fake: FakeReplicate;
let win: TestWindow;
let page: Page;
let v: GalleryVersions;
let imageRow: string;
let old: Version;
const fileHostAsked: string[] = [];

/** Waits until the images in view have loaded (or failed), so a screenshot shows them. */
async function imagesSettled(): Promise<void> {
  await page
    .waitForFunction(
      `[...document.images].filter((i) => { const r = i.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; }).every((i) => i.complete)`,
      undefined,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
}

/** Scrolls the page to its end a screen at a time and back, so that what loads near the screen (thumbnails) loads. */
async function scrollThrough(): Promise<void> {
  await page.evaluate(`(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (const el of [document.scrollingElement, document.querySelector('main')]) {
      if (!el) continue;
      for (let top = 0; top < el.scrollHeight; top += innerHeight * 0.8) {
        el.scrollTop = top;
        await frame();
      }
      el.scrollTop = 0;
      await frame();
    }
  })()`);
}

/** The page as it is, in light and in dark: gallery-<name>-light.png and gallery-<name>-dark.png. */
async function both(name: string): Promise<void> {
  await scrollThrough();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await imagesSettled();
    await screenshot(page, `gallery-${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  fake = await startFakeWithFixtures();
  const oldRef = await pushFreshVariant(docker, 'echo', `gallery-old-${RUN}`, 3 * 1024 * 1024);
  win = await openWindow('gallery', {
    env: {
      COGDESK_REPLICATE_API: fake.url,
      COGDESK_REGISTRY: OPEN_REGISTRY,
      COGDESK_NVIDIA_SMI: resolve(__dirname, '../fixtures/nvidia-smi/h100/nvidia-smi'),
    },
    bridge: { tokenStore: memoryTokenStore(FAKE_TOKEN) },
    beforeOpen: async ({ core }) => {
      const [echo, stream, file, types] = await Promise.all((['echo', 'stream', 'file', 'types'] as const).map((n) => core.pull(fixtureImage(n))));
      v = { echo: echo!, stream: stream!, file: file! };
      old = await core.pull(oldRef);
      // Added 90 days ago and never run: what a clean-up of 60 days takes.
      core.store.db.prepare('UPDATE models SET created_at = ? WHERE id = ?').run(new Date(Date.now() - 90 * 86_400_000).toISOString(), old.modelId);

      const history = writeHistory(core, v);
      imageRow = history.findLast((id) => typeof core.store.predictions.get(id)?.output === 'string' && core.store.predictions.get(id)!.modelId === file!.modelId)!;
      await core.addExample(imageRow, { isDefault: true });
      // Real runs, the newest rows: text, tokens, an object with a file.
      const runs = [
        await core.createPrediction({ version: echo!.id, input: { text: 'a gallery of the window', times: 2 }, source: 'app' }),
        await core.createPrediction({ version: stream!.id, input: { prompt: 'count to five', n: 5 }, source: 'app' }),
        await core.createPrediction({ version: types!.id, input: { token: 'sekrit', seed: 42, tags: ['a', 'b'] }, source: 'app' }),
      ];
      for (const r of runs) await core.waitForPrediction(r.id);
      await core.addExample(runs[0]!.id, { isDefault: true });
    },
  });
  page = win.page;
  // Replicate's file host (model covers, example outputs and inputs): small PNGs, counted.
  await win.browser.context.route(/^https:\/\/[^/]*replicate\.delivery\//, async (route: Route) => {
    const url = route.request().url();
    fileHostAsked.push(url);
    await route.fulfill({ status: 200, contentType: 'image/png', body: landscapePng(url.length) });
  });
}, 240_000);

afterAll(async () => {
  await win?.close();
  await fake?.close();
});

describe('the window with realistic content', () => {
  it('Explore: cards with cover images from https, loaded lazily', async () => {
    await nav(page, 'Explore');
    const card = page.locator('[data-remote-model="fixtures/echo"]');
    await card.waitFor();
    const cover = card.locator('.remote-cover img');
    expect(await cover.getAttribute('src')).toMatch(/^https:\/\/tjzk\.replicate\.delivery\//);
    expect(await cover.getAttribute('loading')).toBe('lazy');
    await expect.poll(() => cover.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await both('explore');
  });

  it('a model page: its cover, and its examples as cards (the output rendered, the input as the form shows it)', async () => {
    await page.locator('[data-remote-model="fixtures/echo"]').getByRole('button', { name: 'fixtures/echo' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('fixtures/echo');
    const cover = page.locator('.model-page img.model-cover');
    await cover.waitFor();
    expect(await cover.getAttribute('loading')).toBe('lazy');
    const examples = page.getByRole('list', { name: 'Examples', exact: true });
    const second = examples.locator('[data-example-id="ex2echoshout000000000000b"]');
    await second.waitFor();
    // The input field by field, in the form's order: the text, the style (a choice); times is at its default.
    const inputs = (card: typeof second) => card.locator('[data-input]').evaluateAll((els) => els.map((e) => e.getAttribute('data-input')));
    expect(await inputs(second)).toEqual(['text', 'style']);
    expect(await second.locator('[data-input="style"]').getAttribute('data-widget')).toBe('select');
    expect(await second.textContent()).toContain('and 1 at their defaults');
    const first = examples.locator('[data-example-id="ex1echoworld000000000000a"]');
    expect(await inputs(first)).toEqual(['text', 'times']);
    expect(await first.locator('[data-input="times"] dt').getAttribute('title')).toBe('integer · 1 to 10 · default 2 · optional');
    expect(await first.locator('[data-input="times"] dd').textContent()).toBe('3');
    expect(await second.locator('.example-output').textContent()).toBe('hello AGAIN AGAIN');
    expect(await second.textContent()).not.toContain('{');
    // Yours: the kept run's card, its output as the Playground shows it.
    const mine = page.getByRole('list', { name: 'Local examples' });
    expect(await mine.locator('[data-input="text"] dd').textContent()).toBe('a gallery of the window');
    await expect.poll(() => mine.getByTestId('output-value').textContent()).toContain('a gallery of the window');
    await both('model');

    // The card opens the Playground with its input (the model is on this machine).
    await second.getByRole('button', { name: 'Open in Playground' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Playground');
    await expect.poll(() => page.getByTestId('prefill-note').textContent()).toBe("Prefilled from fixtures/echo's example ex2echoshout on Replicate.");
    expect(await page.locator('textarea#field-text').inputValue()).toBe('again');
    expect(await page.locator('#field-times').inputValue()).toBe('2');
    expect(await page.locator('select#field-style').inputValue()).toBe('shout');
  });

  it('a model page with image examples: the output drawn from Replicate\'s file host, lazily', async () => {
    await nav(page, 'Explore');
    await page.getByLabel('Search models', { exact: true }).fill('sdxl');
    await page.locator('[data-remote-model="stability-ai/sdxl"]').getByRole('button', { name: 'stability-ai/sdxl' }).first().click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('stability-ai/sdxl');
    const card = page.getByRole('list', { name: 'Examples', exact: true }).locator('[data-example-id]').first();
    const image = card.locator('.example-output img');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^https:\/\/pbxt\.replicate\.delivery\/.*\.png$/);
    expect(await image.getAttribute('loading')).toBe('lazy');
    await expect.poll(() => image.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(await card.locator('[data-input="prompt"] dd').textContent()).toBe('An astronaut riding a rainbow unicorn, cinematic, dramatic');
    expect(await card.textContent()).toMatch(/and \d+ at their defaults/);
    // Not on this machine: the card pulls first (Run locally), then opens the Playground.
    expect(await card.getByRole('button').textContent()).toBe('Run locally with this input');
    await both('model-images');
  });

  it('Library: one table, sorted and filtered; a clean-up shows the disk it frees, then deletes', async () => {
    await nav(page, 'Library');
    const table = page.getByRole('table', { name: 'Models', exact: true });
    await table.locator(`tbody[data-model-id="${old.modelId}"]`).waitFor();
    const names = () => table.locator('tbody[data-model-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')!));
    // Newest use first by default: the real runs' models lead, the never-run ones last.
    expect((await names()).slice(0, 3).sort()).toEqual([v.echo.modelId, v.stream.modelId, 'fixtures/types'].sort());
    expect(await table.locator(`tbody[data-model-id="${old.modelId}"] td`).nth(2).textContent()).toBe('never');
    expect(await table.locator(`tbody[data-model-id="${v.echo.modelId}"]`).textContent()).toContain('Python');
    await table.getByRole('button', { name: 'Model', exact: true }).click();
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).toContain('Model');
    const ascending = await names();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    await table.getByRole('button', { name: 'Model', exact: true }).click();
    expect(await names()).toEqual([...ascending].reverse());
    await both('library');

    await page.getByLabel('Filter models').fill('fixtures/str');
    await expect.poll(names).toEqual([v.stream.modelId]);
    await page.getByLabel('Filter models').fill('');

    // Not used for 60 days: only the model added 90 days ago and never run; the disk it frees, first.
    const cleanUp = page.getByRole('region', { name: 'Free disk space' });
    await cleanUp.getByLabel('Models not used for').fill('60');
    const size = (await win.bridge.core.getDiskUsage()).models.find((m) => m.modelId === old.modelId)!.imagesBytes;
    const mb = formatBytes(size);
    await expect.poll(() => cleanUp.getByTestId('clean-up-summary').textContent()).toBe(`1 model, ${mb}`);
    await cleanUp.getByRole('button', { name: 'Review…' }).click();
    const review = cleanUp.getByRole('group', { name: 'Models to delete' });
    expect(await review.locator('[data-stale-model]').evaluateAll((els) => els.map((e) => e.getAttribute('data-stale-model')))).toEqual([old.modelId]);
    expect(await review.getByTestId('clean-up-total').textContent()).toBe(mb);
    await both('library-clean-up');
    await review.getByRole('button', { name: `Delete 1 model, ${mb}` }).click();
    await table.locator(`tbody[data-model-id="${old.modelId}"]`).waitFor({ state: 'detached', timeout: 60_000 });
    expect(await cleanUp.getByRole('status').textContent()).toBe(`Deleted 1 model, freed up to ${mb}.`);
    const left = await docker
      .getImage(old.imageRef)
      .inspect()
      .then(() => true, () => false);
    expect(left).toBe(false);
    expect(await win.bridge.core.listVersions(v.echo.modelId)).toHaveLength(1);
  });

  it('a local model\'s page, with its examples as cards (an image output among them)', async () => {
    await page.getByRole('table', { name: 'Models', exact: true }).getByRole('button', { name: v.file.modelId, exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toContain(v.file.modelId);
    const card = page.getByRole('list', { name: 'Examples' }).locator(`[data-example-id="${imageRow}"]`);
    await expect.poll(() => card.locator('.example-output img').evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth)).toBe(256);
    await both('local-model');
  });

  it('Predictions: a long history with thumbnails, one prediction, the Playground with an image output', async () => {
    await nav(page, 'Predictions');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBeGreaterThan(20);
    await expect.poll(() => page.locator('table.history .history-thumb[data-thumbnail="image"]').count()).toBeGreaterThan(1); // the image rows on the first screen, loaded without scrolling
    await scrollThrough();
    await expect.poll(() => page.locator('table.history .history-thumb[data-thumbnail="pending"]').count()).toBe(0);
    await both('predictions');
    await page.getByLabel('Search inputs', { exact: true }).fill(imageRow);
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(1);
    await page.locator(`tr[data-prediction-id="${imageRow}"]`).getByRole('button').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toMatch(/^Prediction /);
    await page.locator('section[aria-label="Prediction"] img.media').waitFor();
    await both('prediction');
    await page.getByRole('button', { name: 'Open in Playground' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Playground');
    await page.locator('section[aria-label="Prediction"] img.media').waitFor();
    await both('playground');
  });

  it('Hardware and Settings', async () => {
    await nav(page, 'Hardware');
    await page.locator('section[aria-labelledby="gpus"] table').waitFor({ timeout: 30_000 });
    await both('hardware');
    await nav(page, 'Settings');
    await both('settings');
    expect(win.browser.pageErrors.filter((e) => !e.includes('replicate.delivery'))).toEqual([]);
    expect(fileHostAsked.length).toBeGreaterThan(0);
  });
});
