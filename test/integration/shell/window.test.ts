/**
 * The Electron shell (src/main/index.ts) started for real in Node, over a typed stand-in for Electron (its
 * binary cannot be downloaded here) and the real core over a fresh data folder: what the shell registers,
 * installs and loads, the local API per the settings, the preload wired to the handlers, and the quit.
 */
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS, IPC_PREFIX, type CogdeskBridge, type IpcResult, type TaskEvent } from '../../../src/shared/api';
import type { Settings } from '../../../src/shared/domain';
import type { Core } from '../../../src/main/core';
import { CSP } from '../../../src/main/csp';
import { loadOrCreateCredentials } from '../../../src/main/core/api-server';
import { openCore, tempHome, waitFor } from '../../helpers/core';
import { createElectronStandIn, preventable, type ElectronStandIn, type Frame } from './electron-stand-in';

const shell = vi.hoisted(() => ({
  electron: null as unknown as ElectronStandIn,
  cores: [] as Array<{ core: Core; closed: boolean }>,
}));

// Each start of the shell gets a fresh stand-in (vitest keeps a mocked module across resetModules: these getters
// answer the current one).
vi.mock('electron', () => {
  const keys = ['app', 'BrowserWindow', 'protocol', 'session', 'ipcMain', 'shell', 'dialog', 'safeStorage', 'ipcRenderer', 'contextBridge'] as const;
  const module = {};
  for (const key of keys) Object.defineProperty(module, key, { enumerable: true, get: () => shell.electron.module[key] });
  return module;
});
// The real createCore; the test only keeps the core it made, to see it closed.
vi.mock('../../../src/main/core', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/main/core')>();
  return {
    ...real,
    createCore: async (...args: Parameters<typeof real.createCore>) => {
      const core = await real.createCore(...args);
      const entry = { core, closed: false };
      const close = core.close.bind(core);
      core.close = async () => {
        await close();
        entry.closed = true;
      };
      shell.cores.push(entry);
      return core;
    },
  };
});

const APP_PAGE: Frame = { url: 'app://cogdesk/index.html', parent: null };
const FOREIGN: Frame[] = [
  { url: 'https://evil.example/', parent: null },
  { url: 'file:///tmp/out/renderer/index.html', parent: null }, // what the old substring check trusted
  { url: 'app://cogdesk.evil.example/index.html', parent: null },
  { url: 'app://cogdesk/index.html', parent: { url: 'app://cogdesk/index.html' } as Electron.WebFrameMain }, // a subframe
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/v1/account`).then(
    (r) => r.status,
    () => null,
  );

/** Starts src/main/index.ts afresh over `home` with a new stand-in; answers the stand-in and the shell's core. */
async function startShell(home: string): Promise<{ electron: ElectronStandIn; core: { closed: boolean } }> {
  vi.resetModules();
  shell.electron = createElectronStandIn({ userData: home });
  process.env.COGDESK_HOME = home;
  delete process.env.ELECTRON_RENDERER_URL;
  const before = shell.cores.length;
  const main = await import('../../../src/main/index');
  await main.started;
  expect(shell.cores.length, 'the shell opens one core').toBe(before + 1);
  return { electron: shell.electron, core: shell.cores[before] };
}

async function quit(electron: ElectronStandIn): Promise<void> {
  electron.module.app.quit();
  await electron.quitted;
}

describe('the Electron shell over a stand-in for Electron and the real core', () => {
  const { home, cleanup } = tempHome('cogdesk-shell-');
  let electron: ElectronStandIn;
  let core: { closed: boolean };
  let port: number;
  const env = { home: process.env.COGDESK_HOME, url: process.env.ELECTRON_RENDERER_URL };

  beforeAll(async () => {
    port = await freePort();
    const setup = await openCore({ home });
    await setup.updateSettings({ apiServerEnabled: true, apiServerPort: port });
    await setup.close();
    ({ electron, core } = await startShell(home));
  });
  afterAll(async () => {
    for (const { core, closed } of shell.cores) if (!closed) await core.close();
    if (env.home === undefined) delete process.env.COGDESK_HOME;
    else process.env.COGDESK_HOME = env.home;
    if (env.url !== undefined) process.env.ELECTRON_RENDERER_URL = env.url;
    cleanup();
  });

  it('registers one IPC handler for every call of the contract, and nothing else', () => {
    expect([...electron.module.ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map((m) => IPC_PREFIX + m).sort());
  });

  it('answers a call from its own page through the real core', async () => {
    const settings = (await electron.module.ipcMain.invokeFrom(APP_PAGE, IPC_PREFIX + 'getSettings')) as IpcResult<Settings>;
    expect(settings).toEqual({ ok: true, value: expect.objectContaining({ apiServerEnabled: true, apiServerPort: port }) });
  });

  it('refuses every call from a frame that is not its own page, in every handler', async () => {
    for (const frame of [...FOREIGN, null]) {
      for (const method of API_METHODS) {
        const answer = (await electron.module.ipcMain.invokeFrom(frame, IPC_PREFIX + method)) as IpcResult<unknown>;
        expect(answer, `${method} from ${frame?.url ?? 'no frame'}`).toEqual({
          ok: false,
          error: expect.objectContaining({ code: 'bad_request', message: expect.stringMatching(new RegExp(`^Refused ${method}: the call came from `)) }),
        });
      }
    }
  });

  it('serves the renderer from app://cogdesk with the CSP, registered as a privileged scheme before ready', async () => {
    expect(electron.module.protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    const handler = electron.module.protocol.handlers.get('app')!;
    expect(handler).toBeTypeOf('function');
    // Run from the sources, the shell's renderer folder is src/renderer; built, out/main's is out/renderer.
    const page = await handler(new Request('app://cogdesk/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(resolve(__dirname, '../../../src/renderer/index.html'), 'utf8'));
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    for (const escape of ['app://cogdesk/..%2f..%2fpackage.json', 'app://cogdesk/%2e%2e/main/index.ts']) {
      expect([403, 404]).toContain((await handler(new Request(escape))).status);
    }
  });

  it('opens one window on app://cogdesk: sandboxed, isolated, no Node, no auxclick, the preload', () => {
    expect(electron.windows).toHaveLength(1);
    const [win] = electron.windows;
    expect(win.loaded).toEqual(['app://cogdesk/index.html']);
    expect(win.shown).toBe(true);
    expect(win.options.webPreferences).toEqual(
      expect.objectContaining({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' }),
    );
    expect(win.options.webPreferences?.preload).toMatch(/[/\\]preload[/\\]index\.js$/);
  });

  it('keeps the window on its own pages: navigation and redirects elsewhere stopped, webviews refused', () => {
    const contents = electron.windows[0].webContents;
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = preventable();
      contents.emit(event, away, 'https://evil.example/');
      expect(away.defaultPrevented, event).toBe(true);
      const old = preventable();
      contents.emit(event, old, 'file:///tmp/out/renderer/index.html');
      expect(old.defaultPrevented, event).toBe(true);
      const own = preventable();
      contents.emit(event, own, 'app://cogdesk/index.html');
      expect(own.defaultPrevented, event).toBe(false);
    }
    const webview = preventable();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it('opens no new window: http(s) links go to the system browser, anything else nowhere', () => {
    const open = electron.windows[0].webContents.windowOpenHandler!;
    const details = (url: string) => ({ url }) as Electron.HandlerDetails;
    for (const url of ['https://replicate.com/acme/echo', 'file:///etc/passwd', 'javascript:alert(1)', 'app://cogdesk/index.html']) {
      expect(open(details(url))).toEqual({ action: 'deny' });
    }
    expect(electron.module.shell.opened).toEqual(['https://replicate.com/acme/echo']);
  });

  it('grants no permission but clipboard writing, and that only to its own page', () => {
    const { permissionRequest, permissionCheck } = electron.module.session.defaultSession;
    const contents = electron.windows[0].webContents as unknown as Electron.WebContents;
    const ask = (permission: Parameters<NonNullable<typeof permissionRequest>>[1], requestingUrl: string) => {
      let granted: boolean | null = null;
      permissionRequest!(contents, permission, (g) => (granted = g), { requestingUrl } as Electron.PermissionRequest);
      return granted;
    };
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'pointerLock'] as const) {
      expect(ask(permission, 'app://cogdesk/index.html'), permission).toBe(false);
    }
    expect(ask('clipboard-sanitized-write', 'app://cogdesk/index.html')).toBe(true);
    expect(ask('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    // Notifications when long work ends in the background: the app's page only.
    expect(ask('notifications', 'app://cogdesk/index.html')).toBe(true);
    expect(ask('notifications', 'https://evil.example/')).toBe(false);
    const check = (permission: Parameters<NonNullable<typeof permissionCheck>>[1], origin: string) =>
      permissionCheck!(contents, permission, origin, {} as Electron.PermissionCheckHandlerHandlerDetails);
    expect(check('media', 'app://cogdesk')).toBe(false);
    expect(check('clipboard-sanitized-write', 'app://cogdesk')).toBe(true);
    expect(check('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });

  it('sends the CSP with every response of the built app', () => {
    const listener = electron.module.session.defaultSession.webRequest.headersListener!;
    let headers: Record<string, string | string[]> | undefined;
    listener({ responseHeaders: { 'content-type': ['text/html'] } } as unknown as Electron.OnHeadersReceivedListenerDetails, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [CSP] });
  });

  it('gives the preload exactly the contract, wired to the handlers, and forwards events to the window', async () => {
    await import('../../../src/preload/index');
    const bridge = electron.module.contextBridge.exposed.get('cogdesk') as CogdeskBridge;
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'on'].sort());
    electron.rendererFrame.current = APP_PAGE;
    expect(await bridge.getSettings()).toEqual({ ok: true, value: expect.objectContaining({ apiServerPort: port }) });
    // A pull that fails at once (nothing by that name in the test registry) still tells the window how it ended.
    const started = await bridge.pullImage('127.0.0.1:5100/cogdesk-shell-test/missing:latest');
    if (!started.ok) throw new Error(started.error.message);
    const sent = electron.windows[0].webContents.sent;
    const ended = await waitFor(
      () => sent.find((s) => s.channel === IPC_PREFIX + 'event:task' && (s.args[0] as TaskEvent).taskId === started.value.taskId && (s.args[0] as TaskEvent).state !== 'running'),
      'the pull task to end',
    );
    expect((ended.args[0] as TaskEvent).state).toBe('failed');
    electron.rendererFrame.current = FOREIGN[0];
    expect(await bridge.getSettings()).toEqual({ ok: false, error: expect.objectContaining({ message: expect.stringMatching(/^Refused getSettings/) }) });
  });

  it('starts the local API on the port of the settings', async () => {
    expect(await answers(port)).toBe(401); // Cogdesk's API, asking for its token
    const { token } = loadOrCreateCredentials(home);
    const account = await fetch(`http://127.0.0.1:${port}/v1/account`, { headers: { authorization: `Bearer ${token}` } });
    expect(account.status).toBe(200);
  });

  it('closes the local API and the core when the app quits, then quits', async () => {
    expect(core.closed).toBe(false);
    await quit(electron);
    expect(core.closed).toBe(true);
    expect(await answers(port)).toBeNull();
  });

  it('closes the core all the same when the app quits while the core still opens', async () => {
    vi.resetModules();
    shell.electron = createElectronStandIn({ userData: home });
    const before = shell.cores.length;
    const main = await import('../../../src/main/index');
    shell.electron.module.app.quit(); // before the app is even ready
    await shell.electron.quitted;
    await main.started;
    expect(shell.cores).toHaveLength(before + 1);
    expect(shell.cores[before].closed).toBe(true);
  });

  it('starts no local API when the settings say so', async () => {
    const setup = await openCore({ home });
    await setup.updateSettings({ apiServerEnabled: false });
    await setup.close();
    const second = await startShell(home);
    expect(second.electron).not.toBe(electron);
    expect(second.electron.windows[0].loaded).toEqual(['app://cogdesk/index.html']);
    expect(await answers(port)).toBeNull();
    await quit(second.electron);
    expect(second.core.closed).toBe(true);
  });
});
