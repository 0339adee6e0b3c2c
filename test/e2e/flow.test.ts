/**
 * The whole flow a new user does, in one go, in Chromium over the real core: search -> the model's page
 * -> Run locally (a real pull with a progress bar in bytes) -> the Playground prefilled from the default
 * example -> fill the form -> run -> tokens streaming in with live logs -> Add to examples -> the example
 * on the model's page -> the history. The model is a streaming Cog model on the fake Replicate API whose
 * version is an image pushed to the test registry just now, so nothing of it is on this machine before.
 */
import type { Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/main/core/remote';
import { docker } from '../helpers/core';
import { OPEN_REGISTRY, fixtureImage } from '../helpers/fixtures';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../fakes/replicate-api';
import { screenshot } from './helpers/browser';
import { ensureLocalImage, pushFreshVariantPinned } from './helpers/images';
import { nav, progressSeen, recordProgress } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

const ROOT = join(__dirname, '..', '..');
const NAME = `stream-${Date.now().toString(36)}`;
const MODEL = `e2e/${NAME}`;
let fake: FakeReplicate;
let win: TestWindow;
let page: Page;
let ref: string;

/** The streaming fixture as a Replicate model: its schema, a default example, a README. */
function addStreamModel(f: FakeReplicate, versionId: string): void {
  const echo = f.world.models.get('fixtures/echo')!;
  // The stream fixture's own schema, as its image's label has it.
  const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'cog-images', 'stream', 'openapi.json'), 'utf8')) as Record<string, unknown>;
  const version = { id: versionId, created_at: '2025-07-01T12:00:00.000000Z', cog_version: '0.15.5', openapi_schema: schema };
  const example = {
    ...(echo.default_example as Record<string, unknown>),
    id: 'ex1streamtokens00000000c',
    model: MODEL,
    version: versionId,
    input: { prompt: 'tok', n: 4, delay: 0.05 },
    output: ['tok-0 ', 'tok-1 ', 'tok-2 ', 'tok-3 '],
    logs: 'token 0\ntoken 1\ntoken 2\ntoken 3\n',
  };
  f.world.models.set(MODEL, {
    ...echo,
    name: NAME,
    owner: 'e2e',
    url: `https://replicate.com/${MODEL}`,
    description: 'Streams tokens as it makes them: a fixture Cog model',
    run_count: 42,
    cover_image_url: null,
    latest_version: version,
    default_example: example,
  });
  f.world.versions.set(MODEL, [version]);
  f.world.examples.set(MODEL, [example]);
  f.world.readmes.set(MODEL, `# ${NAME}\n\nStreams **tokens**, one every \`delay\` seconds.\n`);
  f.world.searchMetadata.set(MODEL, { tags: ['text', 'streaming', 'fixture'], generated_description: 'Streams tokens one at a time.' });
}

beforeAll(async () => {
  await ensureLocalImage(docker, fixtureImage('stream'));
  const pushed = await pushFreshVariantPinned(docker, 'stream', NAME);
  ref = `${OPEN_REGISTRY}/${MODEL}@${pushed.digest}`;
  fake = await startFakeWithFixtures();
  addStreamModel(fake, pushed.digest.replace(/^sha256:/, ''));
  win = await openWindow('flow', {
    env: { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY },
    bridge: { tokenStore: memoryTokenStore(FAKE_TOKEN) },
  });
  page = win.page;
}, 240_000);

afterAll(async () => {
  await win?.close();
  await fake?.close();
  if (ref) await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
});

describe('a new user, from search to history, in the window', { timeout: 180_000 }, () => {
  it('search -> model -> run locally -> pull progress -> form -> run -> streaming output and logs -> add to examples -> history', async () => {
    // Search as you type.
    await nav(page, 'Explore');
    await page.getByLabel('Search models').pressSequentially('streams tokens', { delay: 30 });
    const hit = page.getByTestId('search-results').locator(`[data-remote-model="${MODEL}"]`);
    await hit.waitFor({ timeout: 15_000 });
    await hit.getByRole('button', { name: MODEL }).click();

    // The model's page.
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(MODEL);
    await page.getByTestId('readme').locator('strong', { hasText: 'tokens' }).waitFor();
    expect(await page.getByRole('list', { name: 'Local examples' }).count()).toBe(0);

    // Run locally: the image is not here, so the bar counts real bytes (24 MiB of fresh noise).
    await recordProgress(page, '.run-locally [role=progressbar]', 'flowProgress');
    await page.getByRole('button', { name: 'Run locally', exact: true }).click();
    await page
      .locator('.run-locally [role=progressbar][aria-valuenow]')
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => screenshot(page, 'flow-pulling'))
      .catch(() => undefined);
    await expect.poll(() => page.locator('h1').first().textContent(), { timeout: 120_000 }).toBe('Playground');
    const seen = await progressSeen(page, 'flowProgress');
    expect(seen.some((s) => /\d+(\.\d)? [kM]B of 2\d\.\d MB/.test(s))).toBe(true);

    // Prefilled from the default example; then the user's own values.
    await expect.poll(() => page.getByTestId('prefill-note').textContent()).toContain(`${MODEL}'s default example`);
    expect(await page.locator('textarea#field-prompt').inputValue()).toBe('tok');
    expect(await page.locator('#field-n').inputValue()).toBe('4');
    await page.locator('textarea#field-prompt').fill('flow');
    await page.locator('#field-n').fill('8');
    await page.locator('#field-delay').fill('0.4');
    await page.getByRole('button', { name: 'Run', exact: true }).click();

    // Tokens appear while it runs, with live logs.
    const prediction = page.locator('section[aria-label="Prediction"]');
    const output = prediction.getByTestId('output-stream');
    await expect.poll(() => output.textContent().catch(() => ''), { timeout: 60_000, interval: 50 }).toContain('flow-1');
    expect(await output.textContent()).not.toContain('flow-7');
    expect(await prediction.locator('article').getAttribute('data-status')).toBe('processing');
    await expect.poll(() => prediction.getByRole('log').textContent()).toContain('token 1');
    await screenshot(page, 'flow-streaming');
    await prediction.locator('article[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(await output.textContent()).toBe('flow-0 flow-1 flow-2 flow-3 flow-4 flow-5 flow-6 flow-7 ');

    // Add to examples: the model's page (which stays put: the pull's Playground was opened once) lists it.
    await page.getByRole('button', { name: 'Add to examples' }).click();
    await page.getByText('Added to examples (the default)').waitFor();
    const predictionId = (await prediction.locator('article').getAttribute('data-prediction-id')) ?? '';
    await nav(page, 'Explore');
    await page.getByLabel('Search models').fill('');
    await page.getByLabel('Search models').pressSequentially('streams tokens', { delay: 30 });
    await hit.getByRole('button', { name: MODEL }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(MODEL);
    const mine = page.getByRole('list', { name: 'Local examples' });
    await mine.waitFor();
    expect(await page.locator('h1').first().textContent()).toBe(MODEL);
    expect(await mine.locator('li').first().textContent()).toContain('flow');
    await screenshot(page, 'flow-model-examples');

    // The history has it, with its input.
    await nav(page, 'Predictions');
    const row = page.locator('[data-prediction-id]', { hasText: MODEL }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('succeeded');
    if (predictionId) expect(await page.locator(`[data-prediction-id="${predictionId}"]`).count()).toBeGreaterThan(0);
    await screenshot(page, 'flow-history');
  });

  it('keyboard only: a page by its shortcut, the search box and a result by Tab, Enter opens it, focus always visible', async () => {
    const tabTo = async (what: string, target: Locator): Promise<void> => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (await target.evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement).catch(() => false)) {
          // The focused element shows it (the focus ring), in light and dark.
          expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
          return;
        }
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await page.keyboard.press('Alt+0');
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('Explore');
    await page.getByLabel('Search models').fill('');
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await tabTo('the search box', page.getByLabel('Search models'));
    await page.keyboard.type('streams tokens', { delay: 20 });
    const result = page.getByTestId('search-results').locator(`[data-remote-model="${MODEL}"]`);
    await result.waitFor({ timeout: 15_000 });
    await tabTo(`the ${MODEL} result`, result.getByRole('button', { name: MODEL }));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(MODEL);
    await tabTo('Run locally', page.getByRole('button', { name: 'Run locally', exact: true }));
    await screenshot(page, 'flow-keyboard-focus');
  });

  it('logged no errors in the page', () => {
    expect(win.browser.pageErrors).toEqual([]);
  });
});
