/**
 * The set-up every end-to-end file shares: a fresh data folder, environment variables for the core, the test
 * bridge over it, and the built window open in Chromium; and the one close that undoes all of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startBridge, type BridgeOptions, type TestBridge } from '../bridge/server';
import { openApp, type Browser } from './browser';
import { setEnv } from './page';

export interface WindowOptions {
  /** Environment variables for the core while the window is open (undefined removes one); put back on close. */
  env?: Record<string, string | undefined>;
  /** The bridge's (the core's) options; the data folder is the window's own. */
  bridge?: Omit<BridgeOptions, 'home'>;
  /** Steps on the started core before the page loads (models it should find, wrapped calls). */
  beforeOpen?: (bridge: TestBridge, home: string) => Promise<void>;
}

export interface TestWindow {
  /** The data folder (under the system's temporary folder, named cogdesk-e2e-<name>-...). */
  home: string;
  bridge: TestBridge;
  browser: Browser;
  page: Page;
  /**
   * Closes the browser and the bridge, puts the environment back and removes the data folder: each step
   * even if one before it failed (the failures are thrown together at the end). A second call does nothing.
   */
  close(): Promise<void>;
}

/**
 * Opens the window over a fresh core, as the e2e files do in their beforeAll. When a step fails, what was
 * started is closed again before the failure is thrown, so an afterAll has nothing to undo.
 */
export async function openWindow(name: string, options: WindowOptions = {}): Promise<TestWindow> {
  const home = mkdtempSync(join(tmpdir(), `cogdesk-e2e-${name}-`));
  const restoreEnv = setEnv(options.env ?? {});
  let bridge: TestBridge | undefined;
  let browser: Browser | undefined;
  let closing: Promise<void> | undefined;

  const closeAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    const steps: Array<() => unknown> = [() => browser?.close(), () => bridge?.close(), restoreEnv, () => rmSync(home, { recursive: true, force: true })];
    for (const step of steps) {
      try {
        await step();
      } catch (e) {
        failures.push(e);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `closing the e2e window "${name}" failed in ${failures.length} steps`);
  };
  const close = () => (closing ??= closeAll());

  try {
    bridge = await startBridge({ ...options.bridge, home });
    await options.beforeOpen?.(bridge, home);
    browser = await openApp(bridge);
  } catch (e) {
    // The set-up's own failure is the one worth reading; a failure to undo it would hide it.
    await close().catch(() => undefined);
    throw e;
  }
  return { home, bridge, browser, page: browser.page, close };
}
