/**
 * Pushing a model built here to Replicate, in the window, end to end: the BUILT renderer in Chromium over
 * the real core (test bridge), the fake Replicate API (account `cogdesk`), and the htpasswd registry on
 * 127.0.0.1:5101 standing in for r8.im (COGDESK_REGISTRY), without a `cog login` (empty DOCKER_CONFIG).
 * Library -> Push: names that break the rules and another owner refused before anything is created; the
 * plan (a new model, private, cpu); the CLI token asked for (an API token refused as the wrong kind); the
 * push with progress; "pushed as" and the link. Then the Library fitting 1280 and 1000 px, the local model
 * page (versions, fit, inputs, examples) and a second push from it, a push canceled midway, and a registry
 * refusing the push. Screenshots land in test-artifacts/e2e/push-*.png.
 */
import type { Locator, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../src/shared/domain';
import { memoryTokenStore } from '../../src/main/core/remote';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER } from '../helpers/fixtures';
import { FAKE_TOKEN } from '../fakes/replicate-api';
import { screenshot } from './helpers/browser';
import {
  buildCogImage,
  freshRepo,
  overflowsRight,
  removeBuiltImages,
  screenshotView,
  shownInLibrary,
  startPushEnv,
  startUploadProxy,
  type PushEnv,
} from './helpers/push';
import { nav, progressSeen, recordProgress, versionRows } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

const run = randomBytes(3).toString('hex');
const destination = `${AUTH_USER}/e2e-push-${run}`;
let env: PushEnv;
let win: TestWindow;
let page: Page;
/** The model built here (`cog build -t`, no registry): two versions; and a big one for cancel and refusals. */
let tag: string;
let first: Version;
let big: Version;

const created = () => env.fake.pushes.created;
const remoteVersions = (repo: string) => (env.fake.world.versions.get(repo) ?? []).map((v) => v.id as string);

/** Opens the push dialog from a Library row (or any button in `scope` named `button`). */
async function openDialog(scope: Locator, button = 'Push to Replicate'): Promise<Locator> {
  await scope.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Push to Replicate' });
  await dialog.waitFor();
  return dialog;
}

async function check(dialog: Locator, to: string): Promise<void> {
  await dialog.getByLabel('Destination (owner/name)').fill(to);
  await dialog.getByRole('button', { name: 'Check', exact: true }).click();
  await dialog.locator('[data-testid="push-plan"], .notice-error').first().waitFor({ timeout: 30_000 });
}

async function closeDialog(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

const libraryRow = (v: Version) => versionRows(page, v.modelId, v.id);

beforeAll(async () => {
  env = await startPushEnv();
  win = await openWindow('push', {
    bridge: { tokenStore: memoryTokenStore(FAKE_TOKEN), registryTokenStore: memoryTokenStore() },
    beforeOpen: async () => {
      tag = await buildCogImage(64 * 1024, `e2e-${run}`);
    },
  });
  page = win.page;
}, 180_000);

afterEach(async () => {
  // A test that failed with its dialog open leaves the next one a usable window.
  if (await page?.getByRole('dialog').isVisible().catch(() => false)) await page.keyboard.press('Escape');
});

afterAll(async () => {
  await win?.close();
  await env?.restore();
  await removeBuiltImages();
});

describe('pushing a model built here to Replicate, in the window', { timeout: 120_000 }, () => {
  it('refuses a name that breaks the rules and an owner that is not the account, saying why; nothing is created', async () => {
    await nav(page, 'Library');
    first = await shownInLibrary(page, win.bridge.core, tag);
    const dialog = await openDialog(await libraryRow(first));
    // The dialog starts at a model of the account behind the token, named like the local one.
    const localName = first.modelId.split('/').slice(-2).join('/');
    await expect.poll(() => dialog.getByLabel('Destination (owner/name)').inputValue()).toBe(`${AUTH_USER}/${localName.split('/')[1]}`);
    // Another owner (here the local image's namespace) is not the account.
    await check(dialog, localName);
    const error = dialog.locator('.notice-error');
    await expect.poll(() => error.textContent()).toContain(`Cannot create ${localName}: new models can only be created for ${AUTH_USER}`);
    await check(dialog, `${AUTH_USER}/My Model`);
    await expect.poll(() => error.textContent()).toMatch(/the model name "My Model" contains spaces/);
    expect(await dialog.getByRole('button', { name: 'Push', exact: true }).isDisabled()).toBe(true);
    await screenshotView(dialog, 'push-bad-name');
    expect(created()).toEqual([]);
    await closeDialog(dialog);
  });

  it('plans a new model, asks for the CLI token (an API token is the wrong kind), pushes with progress, and shows "pushed as"', async () => {
    const dialog = await openDialog(await libraryRow(first));
    await check(dialog, destination);
    const plan = dialog.getByTestId('push-plan');
    expect(await plan.textContent()).toContain(`Create the model ${destination}: private, hardware cpu (CPU) — No NVIDIA GPU`);
    expect(await plan.textContent()).toContain(`${AUTH_REGISTRY}/${destination}`);
    expect(await dialog.locator('#push-hardware').inputValue()).toBe('cpu');

    // No `cog login`: the dialog asks for the CLI token, and a push without one is refused before anything is created.
    expect(await dialog.textContent()).toContain(`No credentials for ${AUTH_REGISTRY}`);
    await dialog.getByRole('button', { name: 'Push', exact: true }).click();
    await expect.poll(() => dialog.locator('.notice-error').first().textContent(), { timeout: 30_000 }).toContain(`Cogdesk has no credentials for ${AUTH_REGISTRY}`);
    expect(created()).toEqual([]);

    await dialog.getByLabel('CLI token').fill(FAKE_TOKEN);
    await dialog.getByRole('button', { name: 'Set token' }).click();
    await expect.poll(() => dialog.locator('.notice-error').first().textContent()).toMatch(/API token \(r8_…\), not a CLI auth token/);
    await screenshotView(dialog, 'push-wrong-token');
    await dialog.getByLabel('CLI token').fill(AUTH_PASSWORD);
    await dialog.getByRole('button', { name: 'Set token' }).click();
    await expect.poll(() => dialog.getByTestId('registry-login').textContent().catch(() => '')).toContain(`logged in as ${AUTH_USER}`);
    await expect.poll(() => plan.textContent()).toContain('registry credentials: cogdesk');
    expect(await dialog.locator('.notice-error').count()).toBe(0); // the refusal for want of a token is over
    expect(await dialog.textContent()).not.toContain(AUTH_PASSWORD);

    await recordProgress(page, '.push-dialog [role=progressbar]', 'pushProgress');
    await dialog.getByRole('button', { name: 'Push', exact: true }).click();
    const done = dialog.getByTestId('push-done');
    await done.waitFor({ timeout: 90_000 });
    const [versionId] = remoteVersions(destination);
    expect(versionId).toMatch(/^[0-9a-f]{64}$/);
    expect(await done.textContent()).toContain(`Pushed as ${destination}:${versionId!.slice(0, 12)} (model created)`);
    const seen = await progressSeen(page, 'pushProgress');
    expect(seen.some((s) => /\|(preparing|pushing|processing): .* · layers \d+ of \d+ · \d+%$/.test(s))).toBe(true);
    expect(seen.some((s) => s.includes('processing: Pushed; waiting for Replicate to make the version'))).toBe(true);
    await screenshotView(dialog, 'push-done');

    expect(created()).toEqual([{ owner: AUTH_USER, name: destination.split('/')[1], visibility: 'private', hardware: 'cpu', description: null }]);
    expect(await win.bridge.core.listPushes(first.id)).toEqual([expect.objectContaining({ versionId: first.id, modelId: destination, remoteVersionId: versionId })]);
    await closeDialog(dialog);
    const link = (await libraryRow(first)).getByRole('list', { name: 'Pushes' });
    await expect.poll(() => link.textContent()).toBe(`pushed as ${destination}:${versionId!.slice(0, 12)}`);
  });

  it('the Library\'s version table fits the window at 1280 and 1000 px', async () => {
    for (const width of [1280, 1000]) {
      await page.setViewportSize({ width, height: 860 });
      await expect.poll(() => overflowsRight(page, '.library-table')).toEqual([]);
      await page.locator(`[data-model-id="${first.modelId}"]`).scrollIntoViewIfNeeded();
      await screenshotView(page, `push-library-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('a local model\'s page: versions newest first (image, size, created, warm, fit), inputs, examples, and a push from it', async () => {
    // An example (which also makes the version warm), and a second version built under the same name.
    const prediction = await win.bridge.core.createPrediction({ version: first.id, input: { text: 'from the page' } });
    await win.bridge.core.waitForPrediction(prediction.id);
    await win.bridge.core.addExample(prediction.id, { isDefault: true });
    expect(await buildCogImage(64 * 1024, `e2e-${run}`)).toBe(tag);
    await nav(page, 'Library');
    const second = await shownInLibrary(page, win.bridge.core, tag, 2);
    expect(second.modelId).toBe(first.modelId);
    expect(second.id).not.toBe(first.id);
    await page.locator(`[data-model-id="${first.modelId}"]`).getByRole('button', { name: first.modelId, exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(first.modelId);
    const versions = page.getByRole('list', { name: 'Versions' }).locator('[data-version-id]');
    const ids = async () => Promise.all((await versions.all()).map((v) => v.getAttribute('data-version-id')));
    await expect.poll(ids).toEqual([second.id, first.id]);
    const older = versions.nth(1);
    expect(await versions.nth(0).textContent()).toContain('latest');
    expect(await older.getByTestId('image-size').textContent()).toMatch(/\d+(\.\d)? MB/);
    await expect.poll(() => older.getByTestId('warm').textContent(), { timeout: 15_000 }).toContain('warm · cpu');
    await expect.poll(() => older.getByTestId('fit').textContent()).toMatch(/Runs here · CPU/);
    expect(await older.getByRole('list', { name: 'Pushes' }).textContent()).toContain(`pushed as ${destination}:`);
    expect(await page.getByRole('table', { name: 'Inputs' }).locator('[data-input="text"]').textContent()).toContain('string');
    expect(await page.getByRole('list', { name: 'Examples' }).textContent()).toContain('from the page');
    await screenshot(page, 'push-local-model');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotView(page, 'push-local-model-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The second version to the same model: it exists now, so a version is added.
    const dialog = await openDialog(versions.nth(0), 'Push…');
    await check(dialog, destination);
    expect(await dialog.getByTestId('push-plan').textContent()).toContain(`Add a version to the existing model ${destination}`);
    await dialog.getByRole('button', { name: 'Push', exact: true }).click();
    await dialog.getByTestId('push-done').waitFor({ timeout: 90_000 });
    expect(remoteVersions(destination)).toHaveLength(2);
    const [newest] = remoteVersions(destination);
    expect(await dialog.getByTestId('push-done').textContent()).toContain(`Pushed as ${destination}:${newest!.slice(0, 12)}`);
    expect(created()).toHaveLength(1);
    await screenshotView(dialog, 'push-from-local-model');
    await closeDialog(dialog);
    expect(await versions.nth(0).getByRole('list', { name: 'Pushes' }).textContent()).toContain(`${destination}:${newest!.slice(0, 12)}`);

    await versions.nth(0).getByRole('button', { name: 'Run in playground' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Playground');
  });

  it('cancel mid-push: the push ends canceled and nothing is linked', async () => {
    // A paced proxy in front of the registry, and 4 MB of fresh bytes to upload through it.
    const proxy = await startUploadProxy({ target: AUTH_REGISTRY, bytesPerSecond: 256 * 1024 });
    try {
      env.useRegistry(proxy.host);
      // Another registry address: the CLI token kept for the first is not sent there, so it is given again.
      await win.bridge.core.setRegistryToken(AUTH_PASSWORD);
      const bigTag = await buildCogImage(4 * 1024 * 1024, `e2e-big-${run}`);
      await nav(page, 'Library');
      big = await shownInLibrary(page, win.bridge.core, bigTag);
      const dialog = await openDialog(await libraryRow(big));
      await check(dialog, freshRepo('e2e-cancel'));
      await dialog.getByTestId('push-plan').waitFor();
      await recordProgress(page, '.push-dialog [role=progressbar]', 'pushProgress');
      await dialog.getByRole('button', { name: 'Push', exact: true }).click();
      await proxy.sent(64 * 1024);
      const bar = dialog.getByRole('progressbar', { name: 'Pushing' });
      await expect.poll(() => bar.getAttribute('aria-valuetext'), { timeout: 30_000 }).toMatch(/pushing: Pushing \d+ layers? \(.+ of .+\)/);
      await screenshotView(dialog, 'push-progress');
      await dialog.getByRole('button', { name: 'Cancel push' }).click();
      await expect.poll(() => dialog.locator('.notice-error').first().textContent(), { timeout: 30_000 }).toMatch(/^Push canceled: Push to .* canceled/);
      expect((await progressSeen(page, 'pushProgress')).some((s) => /pushing: Pushing \d+ layers? \(\d.* of \d/.test(s))).toBe(true);
      expect(await win.bridge.core.listPushes(big.id)).toEqual([]);
      await closeDialog(dialog);
    } finally {
      env.useRegistry(AUTH_REGISTRY);
      await proxy.close();
      await win.bridge.core.setRegistryToken(AUTH_PASSWORD);
    }
  });

  it('the registry refusing the push: its message shown, nothing recorded', async () => {
    const proxy = await startUploadProxy({ target: AUTH_REGISTRY, deny: 'manifest' });
    try {
      env.useRegistry(proxy.host);
      await win.bridge.core.setRegistryToken(AUTH_PASSWORD);
      const repo = freshRepo('e2e-refused');
      const dialog = await openDialog(await libraryRow(big));
      await check(dialog, repo);
      await dialog.getByRole('button', { name: 'Push', exact: true }).click();
      const error = dialog.locator('.notice-error').first();
      await expect.poll(() => error.textContent(), { timeout: 90_000 }).toContain(`Push failed: ${proxy.host} refused the push to ${proxy.host}/${repo}`);
      await screenshotView(dialog, 'push-refused');
      expect(await win.bridge.core.listPushes(big.id)).toEqual([]);
      expect(remoteVersions(repo)).toEqual([]);
      await closeDialog(dialog);
    } finally {
      env.useRegistry(AUTH_REGISTRY);
      await proxy.close();
      await win.bridge.core.setRegistryToken(AUTH_PASSWORD);
    }
  });

  it('logged no uncaught errors in the page', () => {
    expect(win.browser.pageErrors.filter((e) => e.startsWith('uncaught'))).toEqual([]);
  });
});
