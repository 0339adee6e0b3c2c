/**
 * The first run, in the BUILT renderer in Chromium over the real core: nothing pulled (a fresh data folder,
 * and no Docker engine to find `cog build` images in: the Docker host setting names a socket that is not
 * there), Replicate's catalog from the fake API. The window opens on Explore, not on an empty Library; the
 * empty Library and Playground say what to do next, with one button each that goes there.
 * Screenshots: test-artifacts/e2e/first-run-*.png.
 */
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/main/core/remote';
import { OPEN_REGISTRY } from '../helpers/fixtures';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../fakes/replicate-api';
import { startBridge, type TestBridge } from './bridge/server';
import { openApp, screenshot, type Browser } from './helpers/browser';
import { nav, setEnv } from './helpers/page';

let restoreEnv: (() => void) | undefined;
let home: string;
let fake: FakeReplicate;
let bridge: TestBridge;
const browsers: Browser[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'cogdesk-e2e-first-run-'));
  fake = await startFakeWithFixtures();
  restoreEnv = setEnv({ COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY });
  bridge = await startBridge({ home, tokenStore: memoryTokenStore(FAKE_TOKEN) });
  await bridge.core.updateSettings({ dockerHost: `unix://${join(home, 'no-docker.sock')}` });
  expect(await bridge.core.listModels()).toEqual([]);
}, 120_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await bridge?.close();
  await fake?.close();
  restoreEnv?.();
  if (home) rmSync(home, { recursive: true, force: true });
});

async function open(colorScheme: 'light' | 'dark'): Promise<Page> {
  const browser = await openApp(bridge, { colorScheme });
  browsers.push(browser);
  return browser.page;
}

describe('the first run, with nothing pulled', () => {
  it('opens on Explore with a word on what to do, and the empty Library and Playground each point there', async () => {
    const page = await open('light');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Explore');
    expect(await page.getByRole('navigation', { name: 'Pages' }).locator('[aria-current=page]').textContent()).toBe('Explore');
    expect(await page.getByTestId('first-run').textContent()).toContain('Run locally');
    await page.locator('[data-remote-model]').first().waitFor();
    await screenshot(page, 'first-run-explore');

    await nav(page, 'Library');
    const library = page.getByRole('region', { name: 'No models on this machine yet' });
    await library.waitFor();
    expect(await library.getByRole('button').count()).toBe(1);
    await screenshot(page, 'first-run-library');
    await library.getByRole('button', { name: 'Find a model on Explore' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Explore');

    await nav(page, 'Playground');
    const playground = page.getByRole('region', { name: 'Nothing to run yet' });
    await playground.waitFor();
    expect(await playground.getByRole('button').count()).toBe(1);
    await screenshot(page, 'first-run-playground');
    await playground.getByRole('button', { name: 'Find a model on Explore' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Explore');
  });

  it('dark: the same first page', async () => {
    const page = await open('dark');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Explore');
    await page.locator('[data-remote-model]').first().waitFor();
    await screenshot(page, 'first-run-explore-dark');
    await nav(page, 'Library');
    await page.getByRole('region', { name: 'No models on this machine yet' }).waitFor();
    await screenshot(page, 'first-run-library-dark');
  });
});
