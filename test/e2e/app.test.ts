/**
 * The window's renderer end to end: the BUILT renderer (out/renderer) in real Chromium, talking to the real
 * core (real Docker, the test registry, SQLite in a temp data folder) through the test bridge, which gives
 * the page the same `window.cogdesk` the preload gives it in Electron. One page, one story, in order:
 * Library (pull with progress) -> Playground (echo, stream, file, types) -> Predictions -> Hardware -> Settings.
 * Screenshots of every page land in test-artifacts/e2e/.
 */
import type { Page } from 'playwright-core';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../helpers/core';
import { fixtureImage } from '../helpers/fixtures';
import { screenshot } from './helpers/browser';
import { ensureLocalImage, pushFreshVariant } from './helpers/images';
import { nav, pickModel as pickModelById, progressSeen, recordProgress, versionRows } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const ECHO_NAME = `echo-${RUN}`;
const ECHO_MODEL = `127.0.0.1:5100/e2e/${ECHO_NAME}`;

let win: TestWindow;
let page: Page;
let echoRef: string;

/** Picks the model in the Playground's model select (by the end of its id). */
async function pickModel(idEnd: string): Promise<void> {
  const select = page.getByLabel('Model', { exact: true });
  const value = (await select.locator('option').allTextContents()).find((id) => id.endsWith(idEnd)) ?? '';
  expect(value, `a model ending in ${idEnd}`).not.toBe('');
  await pickModelById(page, value);
}

async function waitForStatus(status: string, timeout = 60_000): Promise<void> {
  await page.locator(`section[aria-label="Prediction"] article[data-status="${status}"]`).waitFor({ timeout });
}

beforeAll(async () => {
  await ensureLocalImage(docker, fixtureImage('echo'));
  echoRef = await pushFreshVariant(docker, 'echo', ECHO_NAME);
  win = await openWindow('app');
  page = win.page;
}, 180_000);

afterAll(async () => {
  await win?.close();
  await docker
    .getImage(echoRef)
    .remove({ force: true })
    .catch(() => undefined);
});

describe('the window over the real core, in Chromium', () => {
  it('Library: pulls an image by reference with a real progress bar, then lists the model', async () => {
    await expect.poll(() => page.locator('h1').textContent()).toBe('Library');
    // Cog images already in Docker (the fixtures, as `cog build` would leave them) are listed without a pull;
    // the one whose schema label cannot be read is named with why.
    await page.locator('[data-model-id="127.0.0.1:5100/fixtures/echo"]').waitFor();
    expect(await page.getByTestId('skipped-images').textContent()).toContain('fixtures/bad-schema');
    expect(await page.locator(`[data-model-id="${ECHO_MODEL}"]`).count()).toBe(0);
    // Every state the bar goes through, recorded in the page as it changes.
    await recordProgress(page, '[role=progressbar]', 'progressSeen');
    await page.getByLabel('Image', { exact: true }).fill(echoRef);
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    // Caught mid-pull when it is slow enough to catch (a loopback pull takes about a second).
    await page
      .locator('.pull-task[data-state="running"] [role=progressbar][aria-valuenow]')
      .first()
      .waitFor({ timeout: 5_000 })
      .then(() => screenshot(page, 'library-pulling'))
      .catch(() => undefined);
    await page.locator('.pull-task[data-state="succeeded"]').waitFor({ timeout: 120_000 });
    const seen = await progressSeen(page, 'progressSeen');
    // Bytes were counted while it ran (24 MiB of fresh noise), and the bar ended full.
    expect(seen.some((s) => /Downloading .*\(\d+(\.\d)? [kM]B of 2\d\.\d MB\)/.test(s) && !s.startsWith('100|'))).toBe(true);
    expect(seen.at(-1)).toMatch(/^100\|Pulled/);
    const card = page.locator(`[data-model-id="${ECHO_MODEL}"]`);
    await card.waitFor();
    await expect.poll(() => card.textContent()).toMatch(/MB/);

    // The other fixtures, three pulls at once.
    for (const name of ['stream', 'file', 'types'] as const) {
      await page.getByLabel('Image', { exact: true }).fill(fixtureImage(name));
      await page.getByRole('button', { name: 'Pull', exact: true }).click();
    }
    await expect.poll(() => page.locator('.pull-task[data-state="succeeded"]').count(), { timeout: 120_000 }).toBe(4);
    for (const name of ['stream', 'file', 'types']) await page.locator(`[data-model-id="127.0.0.1:5100/fixtures/${name}"]`).waitFor();
    await screenshot(page, 'library');

    // A reference the engine refuses: its error shows, and what was typed comes back to be corrected.
    const field = page.getByLabel('Image', { exact: true });
    await field.fill('Not An Image!');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    const refused = page.getByRole('form', { name: 'Pull an image' }).locator('.notice-error');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/Not An Image!/);
    expect(await field.inputValue()).toBe('Not An Image!');
    await field.fill('');
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    await refused.waitFor({ state: 'detached' });
  });

  it('Playground: the echo form (text, times slider, style choice) runs and shows its output, logs and timings', async () => {
    await page.locator(`[data-model-id="${ECHO_MODEL}"]`).getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Playground');
    const text = page.locator('textarea#field-text');
    await text.waitFor();
    // Defaults prefilled: times 2 (a slider with a box, 1 to 10), style "plain" (a choice).
    expect(await page.locator('#field-times').inputValue()).toBe('2');
    expect(await page.getByLabel('times slider').getAttribute('max')).toBe('10');
    expect(await page.locator('select#field-style').inputValue()).toBe('plain');
    expect(await page.locator('[data-field="text"] .help').textContent()).toBe('Text to echo');
    expect(await page.getByTestId('prefill-note').textContent()).toContain('defaults');

    await text.fill('hello e2e');
    await page.getByLabel('times slider').focus();
    await page.keyboard.press('ArrowRight'); // the slider moves by its step: 2 -> 3
    expect(await page.locator('#field-times').inputValue()).toBe('3');
    await page.locator('select#field-style').selectOption('shout');
    await screenshot(page, 'playground-echo-form');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus('succeeded');
    const prediction = page.locator('section[aria-label="Prediction"]');
    expect(await prediction.getByTestId('output-value').textContent()).toBe('hello HELLO E2E HELLO E2E HELLO E2E');
    await expect.poll(() => prediction.getByRole('log').textContent()).toContain("predicting text='hello e2e' times=3");
    expect(await prediction.getByTestId('predict-time').textContent()).toMatch(/\d+(\.\d+)? (ms|s)$/);
    await screenshot(page, 'playground-echo');

    await page.getByRole('button', { name: 'Copy as CLI command' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`cogdesk run ${echoRef} -i 'text=hello e2e' -i times=3 -i style=shout`);
  });

  it('adds a run to the examples, and the form then starts from the default example', async () => {
    await page.getByRole('button', { name: 'Add to examples' }).click();
    await page.getByText('Added to examples (the default)').waitFor();
    // Another model, then back: the form is prefilled from the example, not the defaults.
    await pickModel('/fixtures/stream');
    await pickModel(`/e2e/${ECHO_NAME}`);
    await expect.poll(() => page.getByTestId('prefill-note').textContent()).toContain('default example');
    expect(await page.locator('textarea#field-text').inputValue()).toBe('hello e2e');
    expect(await page.locator('select#field-style').inputValue()).toBe('shout');
    expect((await win.bridge.core.listExamples(ECHO_MODEL)).map((e) => e.isDefault)).toEqual([true]);
  });

  it('invalid input shows inline errors from the engine\'s validation, and Run focuses the first', async () => {
    await page.locator('textarea#field-text').fill('');
    await page.locator('#field-times').fill('99');
    await page.locator('[data-field="times"] .field-error').waitFor();
    expect(await page.locator('[data-field="times"] .field-error').textContent()).toBe('times must be at most 10, got 99');
    expect(await page.locator('#field-times').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-field="text"] .field-error').waitFor();
    expect(await page.locator('[data-field="text"] .field-error').textContent()).toBe('text is required');
    await page.getByRole('alert').filter({ hasText: 'The input is not valid for this model: 2 problems' }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('field-text');
    await screenshot(page, 'playground-invalid');
    // Fixed: the errors go as the fields change, and Ctrl+Enter runs from the keyboard.
    await page.locator('textarea#field-text').fill('fixed');
    await page.locator('#field-times').fill('1');
    await expect.poll(() => page.locator('.field-error').count()).toBe(0);
    await page.locator('textarea#field-text').press('Control+Enter');
    await expect.poll(() => page.locator('section[aria-label="Prediction"] [data-testid="output-value"]').textContent(), { timeout: 60_000 }).toBe('hello FIXED');
  });

  it('stream model: tokens appear while it runs, with live logs', async () => {
    await pickModel('/fixtures/stream');
    await page.locator('textarea#field-prompt').fill('tok');
    await page.locator('#field-n').fill('8');
    await page.locator('#field-delay').fill('0.4');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const output = page.locator('section[aria-label="Prediction"] [data-testid="output-stream"]');
    // Mid-run: some tokens shown, not all, still processing, and the logs already say so.
    await expect.poll(() => output.textContent().catch(() => ''), { timeout: 60_000, interval: 50 }).toContain('tok-1');
    const midText = (await output.textContent()) ?? '';
    const midStatus = await page.locator('section[aria-label="Prediction"] article').getAttribute('data-status');
    expect(midText).not.toContain('tok-7');
    expect(midStatus).toBe('processing');
    await expect.poll(() => page.locator('section[aria-label="Prediction"]').getByRole('log').textContent()).toContain('token 1');
    await screenshot(page, 'playground-stream-running');
    await waitForStatus('succeeded');
    expect(await output.textContent()).toBe('tok-0 tok-1 tok-2 tok-3 tok-4 tok-5 tok-6 tok-7 ');
    await screenshot(page, 'playground-stream');
  });

  it('cancel stops a running prediction', async () => {
    await page.locator('#field-n').fill('100');
    await page.locator('#field-delay').fill('0.2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus('processing');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await waitForStatus('canceled', 30_000);
    expect(await page.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
  });

  it('file model: a picked file goes as a data: URI, and the output file is shown', async () => {
    await pickModel('/fixtures/file');
    const field = page.locator('[data-field="image"]');
    // A URL typed in, then a file dropped on the field: each takes the place of what was there.
    await field.getByLabel('image URL').fill('https://example.invalid/in.txt');
    await field.getByLabel('image URL').press('Enter');
    await field.getByText('https://example.invalid/in.txt').first().waitFor();
    await field.getByRole('button', { name: 'Remove', exact: true }).click();
    const dropped = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped'], 'dropped.txt', { type: 'text/plain' }));
      return dt;
    })()`);
    await field.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dropped });
    await field.getByText('dropped.txt').first().waitFor();
    await field.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.locator('input#field-image').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello file') });
    await field.getByText('hello.txt').waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus('succeeded');
    const file = page.locator('section[aria-label="Prediction"] figure.file-view');
    await file.locator('pre').waitFor();
    expect(await file.locator('pre').textContent()).toBe('elif olleh');
    expect(await file.locator('figcaption').textContent()).toMatch(/^output\.txt text\/plain · 10 B Save Show in folder$/);
    // The test bridge has no file manager to ask: the file's path in the data folder is shown instead.
    await file.getByRole('button', { name: 'Show in folder' }).click();
    await expect.poll(() => file.getByTestId('file-where').textContent()).toMatch(new RegExp(`${win.home}/outputs/\\w+/output\\.txt$`));
    await screenshot(page, 'playground-file');
  });

  it('types model: secret, nullable integer, number slider, integer choices, list of strings, boolean -> object with a file', async () => {
    await pickModel('/fixtures/types');
    expect(await page.locator('#field-token').getAttribute('type')).toBe('password');
    expect(await page.locator('#field-seed').inputValue()).toBe('');
    expect(await page.getByLabel('temperature slider').getAttribute('step')).toBe('0.01');
    expect(await page.locator('select#field-mode option').allTextContents()).toEqual(['(default: 1)', '1', '2', '4']);
    await page.locator('#field-token').fill('sekrit-token');
    await page.locator('select#field-mode').selectOption('4');
    await page.locator('[data-field="tags"]').getByRole('button', { name: 'Add an item' }).click();
    await page.getByLabel('tags item 1', { exact: true }).fill('red');
    await page.locator('[data-field="tags"]').getByRole('button', { name: 'Add another item' }).click();
    await page.getByLabel('tags item 2', { exact: true }).fill('blue');
    await page.locator('#field-flag').check();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForStatus('succeeded');
    const output = page.locator('section[aria-label="Prediction"] [data-testid="output-value"]');
    await expect.poll(() => output.textContent()).toContain('se***');
    await output.locator('figure.file-view figcaption').getByText('output-files-0.png').waitFor(); // a file inside the object
    const [p] = await win.bridge.core.listPredictions({ modelId: '127.0.0.1:5100/fixtures/types', limit: 1 });
    // The model got the secret (its output starts with it); the history keeps it masked, as Replicate does.
    expect(p.input).toEqual({ token: '**********', temperature: 0.7, mode: 4, tags: ['red', 'blue'], flag: true });
    await screenshot(page, 'playground-types');
  });

  it('Predictions: the history, filtered by model and status and searched by input; one prediction; re-run; delete', async () => {
    await page.keyboard.press('Alt+2'); // keyboard navigation between pages
    await expect.poll(() => page.locator('h1').textContent()).toBe('Predictions');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(6);
    // The types run's secret is masked in the list.
    await expect.poll(() => page.locator('table.history').textContent()).toContain('token: ••••');
    expect(await page.locator('table.history').textContent()).not.toContain('sekrit');
    // Thumbnails: the types run's first image output is read (its fake PNG cannot be drawn: an icon that
    // says so); the echo runs have no image output, so no thumbnail.
    const typesRow = page.locator('table.history tbody tr', { hasText: 'fixtures/types' }).first();
    await expect.poll(() => typesRow.locator('.history-thumb').getAttribute('data-thumbnail')).toBe('icon');
    expect(await typesRow.locator('.history-thumb [role="img"]').getAttribute('title')).toMatch(/\.png could not be read as an image/);
    expect(await page.locator('table.history tbody tr', { hasText: ECHO_MODEL }).first().locator('.history-thumb').getAttribute('data-thumbnail')).toBe('none');
    await screenshot(page, 'predictions');

    await page.getByLabel('Model', { exact: true }).selectOption(ECHO_MODEL);
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(2);
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByText('No predictions match.').waitFor();
    await page.getByLabel('Model', { exact: true }).selectOption('');
    await page.getByLabel('Status', { exact: true }).selectOption('canceled');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(1);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('Model', { exact: true }).selectOption('');
    await page.getByLabel('Search inputs').fill('hello e2e');
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(1);

    await page.locator('table.history tbody tr').first().getByRole('button').click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Prediction /);
    const input = page.locator('section[aria-label="Input"]');
    expect(await input.textContent()).toContain('hello e2e');
    await expect.poll(() => page.locator('section[aria-label="Prediction"] [data-testid="output-value"]').textContent()).toBe('hello HELLO E2E HELLO E2E HELLO E2E');
    expect(await page.locator('section[aria-label="Prediction"]').getByRole('log').textContent()).toContain('predicting');
    await screenshot(page, 'prediction-detail');

    await page.getByRole('button', { name: 'Re-run' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Playground');
    await waitForStatus('succeeded');
    expect(await page.locator('section[aria-label="Prediction"] [data-testid="output-value"]').textContent()).toBe('hello HELLO E2E HELLO E2E HELLO E2E');
    expect(await page.getByTestId('prefill-note').textContent()).toContain('Prefilled from prediction');

    // Delete the re-run (two presses: ask, then do).
    const rerunId = await page.locator('section[aria-label="Prediction"] article').getAttribute('data-prediction-id');
    await page.getByRole('button', { name: 'Open in Predictions' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete for good?' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Predictions');
    expect(await win.bridge.core.getPrediction(rerunId!)).toBeNull();
  });

  it('a past prediction prefills the form, and the engine\'s errors from a failed create show on their fields', async () => {
    // A CLI run with a local file, which is gone by the time it is run again from the window.
    const local = join(win.home, 'soon-gone.txt');
    writeFileSync(local, 'soon gone');
    const fileVersion = (await win.bridge.core.listVersions('127.0.0.1:5100/fixtures/file'))[0];
    const cli = await win.bridge.core.createPrediction({ version: fileVersion.id, input: { image: local, api_key: 'k9' }, source: 'cli' });
    await win.bridge.core.waitForPrediction(cli.id);
    rmSync(local);

    await nav(page, 'Predictions');
    await page.getByLabel('Search inputs', { exact: true }).fill(cli.id);
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(1);
    await page.locator(`tr[data-prediction-id="${cli.id}"]`).getByRole('button').click();
    await page.getByRole('button', { name: 'Open in Playground' }).click();
    await expect.poll(() => page.getByTestId('prefill-note').textContent()).toContain('Prefilled from prediction');
    expect(await page.locator('#field-api_key').inputValue()).toBe('k9');
    await page.locator('[data-field="image"]').getByText(local).waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[data-field="image"] .field-error').waitFor();
    expect(await page.locator('[data-field="image"] .field-error').textContent()).toBe(`image: no file at ${local}`);
    await page.getByRole('alert').filter({ hasText: 'The file for image does not exist' }).getByText('Give the path of an existing file').waitFor();
    await screenshot(page, 'playground-engine-error');
  });

  it('Hardware: the GPUs (none here), the SKU, Docker and its GPU support, what is missing', async () => {
    await nav(page, 'Hardware');
    await page.locator('#gpus').waitFor({ timeout: 30_000 });
    const version = (await win.bridge.core.getEngineStatus()).docker;
    expect(version.ok).toBe(true);
    expect(await page.locator('section[aria-labelledby="docker"]').textContent()).toContain(version.ok ? version.version : '');
    expect(await page.locator('section[aria-labelledby="sku"]').textContent()).toContain((await win.bridge.core.getHardware()).match.sentence);
    await screenshot(page, 'hardware');
  });

  it('Hardware with an nvidia-smi stand-in for an H100 machine (COGDESK_NVIDIA_SMI)', async () => {
    process.env.COGDESK_NVIDIA_SMI = resolve(__dirname, '../fixtures/nvidia-smi/h100/nvidia-smi');
    try {
      await page.getByRole('button', { name: 'Detect again' }).click();
      await page.locator('section[aria-labelledby="gpus"] table').waitFor({ timeout: 30_000 });
      expect(await page.locator('section[aria-labelledby="gpus"] table').textContent()).toContain('H100');
      await screenshot(page, 'hardware-h100-stand-in');
    } finally {
      delete process.env.COGDESK_NVIDIA_SMI;
    }
  });

  it('Settings: real values, saved through the contract, with the engine\'s field errors', async () => {
    await nav(page, 'Settings');
    await expect.poll(() => page.getByTestId('data-dir').textContent()).toBe(win.bridge.core.paths.home);
    // No file manager behind the test bridge: the folder's path is given to open by hand.
    await page.getByRole('button', { name: 'Open the data folder' }).click();
    await expect.poll(() => page.getByTestId('data-folder-note').textContent()).toContain(win.bridge.core.paths.home);
    expect(await page.locator('#s-idle').inputValue()).toBe('300');
    await page.locator('#s-idle').fill('600');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await win.bridge.core.getSettings()).idleTimeoutSeconds).toBe(600);
    await page.locator('#s-port').fill('80');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('apiServerPort must be a whole number from 1024 to 65535').first().waitFor();
    expect((await win.bridge.core.getSettings()).apiServerPort).toBe(5190);
    await screenshot(page, 'settings');
    await page.getByRole('button', { name: 'Discard changes' }).click();
  });

  it('follows the system\'s dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await nav(page, 'Playground');
    await page.locator('[data-field]').first().waitFor();
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(21, 23, 27)');
    await screenshot(page, 'playground-dark');
    await nav(page, 'Library');
    await screenshot(page, 'library-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('Library: shows what is warm, and deletes a version (its container and image)', async () => {
    await nav(page, 'Library');
    const row = await versionRows(page, ECHO_MODEL);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('warm · cpu');
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.getByRole('button', { name: 'Delete image?' }).click();
    await page.locator(`[data-model-id="${ECHO_MODEL}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    const left = await docker
      .getImage(echoRef)
      .inspect()
      .then(() => true, () => false);
    expect(left).toBe(false);
  });

  it('logged no errors in the page', () => {
    expect(win.browser.pageErrors).toEqual([]);
  });
});
