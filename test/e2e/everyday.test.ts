/**
 * The everyday window, in the BUILT renderer in Chromium over the real core (real Docker, the test registry,
 * SQLite). COGDESK_REGISTRY is the test registry, so the fixture models count as pulled from Replicate.
 * - Copy as code: the Playground copies its input as curl, JavaScript and Python for the local API and for
 *   Replicate (read back from the real clipboard).
 * - Long work ends in the background: a pull, or a prediction longer than 30 s, that ends while the window is
 *   not focused shows a desktop notification (the permission granted to the page; nothing stubbed); a pull
 *   that ends while it is focused does not, nor one with the setting off.
 * Screenshots: test-artifacts/e2e/everyday-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureImage, OPEN_REGISTRY } from '../helpers/fixtures';
import { screenshot } from './helpers/browser';
import { nav, pickModel } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

let win: TestWindow;
let page: Page;

beforeAll(async () => {
  win = await openWindow('everyday', { env: { COGDESK_REGISTRY: OPEN_REGISTRY } });
  page = win.page;
}, 120_000);

afterAll(() => win?.close());

/** Clicks a Copy as code button and answers what it put on the clipboard. */
async function copyCode(where: 'local API' | 'Replicate', language: 'curl' | 'JavaScript' | 'Python'): Promise<string> {
  await page.evaluate("navigator.clipboard.writeText('')");
  const menu = page.locator('details.copy-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
  await menu.getByRole('group', { name: `Code for the ${where}` }).getByRole('button', { name: language, exact: true }).click();
  const read = () => page.evaluate('navigator.clipboard.readText()') as Promise<string>;
  await expect.poll(read).not.toBe('');
  return read();
}

describe('the everyday window', () => {
  it('Copy as code: the same prediction as curl, JavaScript and Python, for the local API and for Replicate', async () => {
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Library');
    await page.locator('[data-model-id="fixtures/echo"]').waitFor();
    const echo = (await win.bridge.core.listVersions('fixtures/echo'))[0];
    await nav(page, 'Playground');
    await pickModel(page, 'fixtures/echo');
    await page.locator('textarea#field-text').fill("it's a fox");

    const js = await copyCode('local API', 'JavaScript');
    expect(js).toContain('import Replicate from "replicate";');
    expect(js).toContain(`// COGDESK_TOKEN: the local API's token, kept in ${win.home}/api-token`);
    expect(js).toContain('baseUrl: "http://127.0.0.1:5190/v1",');
    expect(js).toContain(`await replicate.run("fixtures/echo:${echo.id}", {`);
    expect(js).toContain(`"text": "it's a fox",`);
    await screenshot(page, 'everyday-copy-as-code');

    const py = await copyCode('Replicate', 'Python');
    expect(py).toContain(`output = replicate.run(\n    "fixtures/echo:${echo.id}",`);
    expect(py).not.toContain('base_url');
    const curl = await copyCode('local API', 'curl');
    expect(curl).toContain('curl -s -X POST http://127.0.0.1:5190/v1/predictions');
    expect(curl).toContain(`"version": "${echo.id}"`);

    // A picked file goes as its data: URI.
    await pickModel(page, 'fixtures/file');
    await page.locator('input#field-image').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello file') });
    await page.locator('[data-field="image"]').getByText('hello.txt').first().waitFor();
    const withFile = await copyCode('local API', 'JavaScript');
    expect(withFile).toContain(`"image": "data:text/plain;base64,${Buffer.from('hello file').toString('base64')}",`);
  });

  it('a pull that ends while the window is in the background shows a desktop notification, unless focused or turned off', async () => {
    const origin = new URL(win.bridge.url).origin;
    await win.browser.context.grantPermissions(['clipboard-read', 'clipboard-write', 'notifications'], { origin });
    // Real focus: without Playwright's focus emulation, the page has the focus only while it is in front.
    const cdp = await win.browser.context.newCDPSession(page);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
    const elsewhere = await win.browser.context.newPage();
    const shown = page.getByTestId('last-notification');

    // In front: a pull from the window's Library ends without a notification.
    await page.bringToFront();
    expect(await page.evaluate('document.hasFocus()')).toBe(true);
    await nav(page, 'Library');
    await page.getByLabel('Image', { exact: true }).fill(fixtureImage('types'));
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    const succeeded = page.locator('.pull-task[data-state="succeeded"]');
    await expect.poll(() => succeeded.count(), { timeout: 120_000 }).toBe(1);

    // Behind another page: a pull that ends (started by the core, as clicking would bring the page to the
    // front) shows one. The window hears of it through the contract's task events, like any pull.
    const inTheBackground = async (name: 'stream' | 'types' | 'echo', done: number) => {
      await elsewhere.bringToFront();
      expect(await page.evaluate('document.hasFocus()')).toBe(false);
      await win.bridge.core.pullImage(fixtureImage(name));
      await expect.poll(() => succeeded.count(), { timeout: 120_000 }).toBe(done);
      await page.bringToFront();
      await nav(page, 'Settings');
    };
    await inTheBackground('stream', 2);
    await expect.poll(() => shown.textContent()).toContain('Last notification: Pulled');
    expect(await shown.textContent()).toContain('fixtures/stream');
    expect(await shown.getAttribute('data-count')).toBe('1');
    await screenshot(page, 'everyday-settings-notifications');

    // Turned off: none; on again: one more, and only one.
    const box = page.getByLabel(/Notify me when a pull, a push or a prediction/);
    const save = async () => {
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => page.getByText('Saved.').count()).toBe(1);
    };
    await box.uncheck();
    await save();
    expect((await win.bridge.core.getSettings()).notifyWhenDone).toBe(false);
    await nav(page, 'Library');
    await inTheBackground('types', 3);
    await box.check();
    await save();
    await nav(page, 'Library');
    await inTheBackground('echo', 4);
    await expect.poll(() => shown.textContent()).toContain('fixtures/echo');
    expect(await shown.getAttribute('data-count')).toBe('2');
  });

  it('a prediction from the window that takes longer than 30 s and ends in the background shows one too', async () => {
    const stream = (await win.bridge.core.listVersions('fixtures/stream'))[0];
    const shown = page.getByTestId('last-notification');
    const elsewhere = win.browser.context.pages().find((p) => p !== page)!;
    await elsewhere.bringToFront();
    expect(await page.evaluate('document.hasFocus()')).toBe(false);
    // 32 tokens, one a second: over the 30 s line.
    const created = await win.bridge.core.createPrediction({ version: stream.id, input: { prompt: 'slow', n: 32, delay: 1 }, source: 'app' });
    await expect.poll(() => shown.textContent(), { timeout: 120_000, interval: 1000 }).toContain('fixtures/stream: prediction done');
    expect(await shown.getAttribute('data-count')).toBe('3');
    const done = await win.bridge.core.getPrediction(created.id);
    expect(Date.parse(done!.completedAt!) - Date.parse(done!.createdAt)).toBeGreaterThan(30_000);
    await page.bringToFront();
  });
});
