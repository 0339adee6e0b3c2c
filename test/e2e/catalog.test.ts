/**
 * Replicate's catalog in the window, end to end: the BUILT renderer in Chromium over the real core, whose
 * catalog talks to the fake Replicate API (COGDESK_REPLICATE_API) and pulls `fixtures/echo` from the test
 * registry (COGDESK_REGISTRY=127.0.0.1:5100). Explore (cards, search as you type), a model page (README
 * sanitized), Run locally (progress -> Playground prefilled -> run), then offline: the cache answers.
 * Screenshots land in test-artifacts/e2e/catalog-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/main/core/remote';
import { docker } from '../helpers/core';
import { AUTH_REGISTRY, AUTH_USER, fixtureEntry, OPEN_REGISTRY } from '../helpers/fixtures';
import { ECHO_README, FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../fakes/replicate-api';
import { screenshot } from './helpers/browser';
import { nav, progressSeen, recordProgress, versionRows } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

const HOSTILE_README = `${ECHO_README}
<script>window.__readmeScriptRan = true</script>

<img src="https://example.invalid/x.png" onerror="window.__readmeHandlerRan = true">

<iframe src="https://example.invalid/frame"></iframe>
`;

let fake: FakeReplicate;
let win: TestWindow;
let page: Page;
const fitCalls = { total: 0, running: 0, maxRunning: 0 };

beforeAll(async () => {
  fake = await startFakeWithFixtures({ account: { username: AUTH_USER, name: 'Cogdesk Pusher' } });
  fake.world.readmes.set('fixtures/echo', HOSTILE_README);
  // The pinned reference only (fixtures/echo:latest stays for other tests): Run locally really pulls.
  await docker
    .getImage(fixtureEntry('echo').pinnedRef)
    .remove()
    .catch(() => undefined);
  win = await openWindow('catalog', {
    env: { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY },
    bridge: { tokenStore: memoryTokenStore(FAKE_TOKEN) },
    beforeOpen: async ({ core }) => {
      // Counts the window's checkFit calls in flight: the Explore cards ask at most 2 at a time.
      const checkFit = core.checkFit.bind(core);
      core.checkFit = async (target) => {
        fitCalls.total++;
        fitCalls.maxRunning = Math.max(fitCalls.maxRunning, ++fitCalls.running);
        try {
          return await checkFit(target);
        } finally {
          fitCalls.running--;
        }
      };
    },
  });
  page = win.page;
}, 180_000);

afterAll(async () => {
  await win?.close();
  await fake?.close();
});

describe('Replicate\'s catalog in the window, over the fake API', () => {
  it('Explore: the newest public models as cards (cover, name, description, run count), and collections', async () => {
    await nav(page, 'Explore');
    const list = page.getByRole('list', { name: 'Newest models' });
    await list.waitFor();
    await expect.poll(() => list.locator('[data-remote-model]').count()).toBeGreaterThan(0);
    const first = list.locator('[data-remote-model]').first();
    expect(await first.locator('h3').textContent()).toMatch(/\w+\/\w+/);
    expect(await first.locator('.remote-cover').count()).toBe(1);
    await expect.poll(() => page.getByRole('navigation', { name: 'Collections' }).getByRole('button').count()).toBeGreaterThan(1);
    expect(await page.getByTestId('offline-badge').count()).toBe(0);
    // The hardware-fit badge, read from the image's labels in the registry (cog.yaml gpu: false), no pull.
    const echoBadge = list.locator('[data-remote-model="fixtures/echo"]').getByTestId('fit-badge');
    await expect.poll(() => echoBadge.getAttribute('data-fit'), { timeout: 15_000 }).toBe('cpu');
    expect(await echoBadge.textContent()).toBe('Runs here · CPU');
    expect(await echoBadge.getAttribute('title')).toBe('CPU only: it runs here on the CPU.');
    expect(fitCalls.total).toBeGreaterThan(0);
    expect(fitCalls.maxRunning).toBeLessThanOrEqual(2);
    await screenshot(page, 'catalog-explore');
  });

  it('search as you type finds fixtures/echo', async () => {
    await page.getByLabel('Search models').pressSequentially('echo', { delay: 40 });
    const results = page.getByTestId('search-results');
    await results.locator('[data-remote-model="fixtures/echo"]').waitFor({ timeout: 15_000 });
    expect(await results.locator('h2').textContent()).toContain('echo');
    await screenshot(page, 'catalog-search');
  });

  it('model page: description, README rendered and sanitized (its <script> not run, not in the DOM), versions, examples', async () => {
    await page.locator('[data-remote-model="fixtures/echo"]').getByRole('button', { name: 'fixtures/echo' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('fixtures/echo');
    const readme = page.getByTestId('readme');
    await readme.waitFor();
    expect(await readme.locator('h1').textContent()).toBe('echo');
    expect(await readme.locator('strong').first().textContent()).toBe('hello');
    expect(await readme.locator('pre code').textContent()).toContain('cog predict -i text=world');
    expect(await page.locator('.model-page script, .model-page iframe').count()).toBe(0);
    expect(await readme.innerHTML()).not.toMatch(/onerror|__readme/);
    expect(await page.evaluate('[window.__readmeScriptRan, window.__readmeHandlerRan]')).toEqual([undefined, undefined]);
    expect(await page.locator('.model-page .lead').textContent()).toContain('Echoes your text back');
    await expect.poll(() => page.getByRole('table', { name: 'Versions' }).locator('tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('list', { name: 'Examples' }).waitFor();
    // "Fit for this machine", in full, before the pull: above the Run locally button, nothing pulled yet.
    const runLocally = page.locator('section.run-locally');
    const sentence = runLocally.getByTestId('fit-sentence');
    await expect.poll(() => runLocally.getByTestId('fit-line').getAttribute('data-fit'), { timeout: 15_000 }).toBe('cpu');
    expect(await sentence.textContent()).toBe('CPU only: it runs here on the CPU.');
    expect(await runLocally.getAttribute('data-state')).toBe('idle');
    expect(
      await page.evaluate(`(() => {
        const line = document.querySelector('.run-locally [data-testid="fit-line"]');
        const button = [...document.querySelectorAll('.run-locally button')].find((b) => b.textContent.trim() === 'Run locally');
        return !!line && !!button && !!(line.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
      })()`),
    ).toBe(true);
    await screenshot(page, 'catalog-model-page');
  });

  it('Run locally: pulls with a progress bar, opens the Playground prefilled with the default example, runs', async () => {
    await recordProgress(page, '.run-locally [role=progressbar]', 'remoteProgress');
    await page.getByRole('button', { name: 'Run locally', exact: true }).click();
    // The layers are mostly in Docker already (fixtures/echo:latest), so the bar may only flash by.
    await expect.poll(() => page.locator('h1').first().textContent(), { timeout: 120_000 }).toBe('Playground');
    const seen = await progressSeen(page, 'remoteProgress');
    expect(seen.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('prefill-note').textContent()).toContain("fixtures/echo's default example");
    expect(await page.locator('textarea#field-text').inputValue()).toBe('world');
    expect(await page.locator('#field-times').inputValue()).toBe('3');
    await screenshot(page, 'catalog-playground-prefilled');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('section[aria-label="Prediction"] article[data-status="succeeded"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('section[aria-label="Prediction"] [data-testid="output-value"]').textContent()).toContain('world');
    await screenshot(page, 'catalog-playground-run');
  });

  it('Settings: the API token\'s status, never the token', async () => {
    await nav(page, 'Settings');
    await expect.poll(() => page.getByTestId('token-status').textContent()).toMatch(/A token is set/);
    expect(await page.content()).not.toContain(FAKE_TOKEN);
    await screenshot(page, 'catalog-settings-token');
  });

  it('Library: the push dialog checks the plan (what will be created) before anything happens', async () => {
    process.env.COGDESK_REGISTRY = AUTH_REGISTRY; // the push tests' registry (with a login), as they set it
    try {
      await nav(page, 'Library');
      const row = (await versionRows(page, 'fixtures/echo')).first();
      await row.getByRole('button', { name: 'Push to Replicate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Push to Replicate' });
      await dialog.waitFor();
      await dialog.getByLabel('Destination (owner/name)').fill(`${AUTH_USER}/e2e-plan`);
      await dialog.getByRole('button', { name: 'Check', exact: true }).click();
      const plan = dialog.getByTestId('push-plan');
      await plan.waitFor({ timeout: 30_000 });
      expect(await plan.textContent()).toContain(`Create the model ${AUTH_USER}/e2e-plan`);
      expect(await plan.textContent()).toContain(`${AUTH_REGISTRY}/${AUTH_USER}/e2e-plan`);
      expect(await dialog.locator('#push-hardware').inputValue()).not.toBe('');
      expect(fake.pushes.created).toHaveLength(0);
      await screenshot(page, 'catalog-push-plan');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    } finally {
      process.env.COGDESK_REGISTRY = OPEN_REGISTRY;
    }
  });

  it('offline: with the API gone, Explore shows the cached cards and the offline badge', async () => {
    await fake.stop();
    await nav(page, 'Explore');
    // Coming back keeps the list as it was; Refresh asks again, and the search typed earlier is run again,
    // now from the cache.
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.getByTestId('offline-badge').waitFor({ timeout: 30_000 });
    await page.getByTestId('search-results').locator('[data-remote-model="fixtures/echo"]').waitFor();
    await page.getByLabel('Search models').fill('');
    await page.getByRole('list', { name: 'Newest models' }).waitFor();
    expect(await page.getByTestId('offline-badge').textContent()).toContain('offline — from the cache');
    await expect.poll(() => page.getByRole('list', { name: 'Newest models' }).locator('[data-remote-model]').count()).toBeGreaterThan(0);
    await screenshot(page, 'catalog-explore-offline');
    await fake.start();
  });

  it('logged no uncaught errors in the page', () => {
    expect(win.browser.pageErrors.filter((e) => e.startsWith('uncaught'))).toEqual([]);
  });
});
