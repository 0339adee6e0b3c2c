/**
 * The Electron shell: one window over the core. Thin on purpose: everything it shows comes through the
 * contract in src/shared/api.ts, which the core implements. The built renderer is served from app://cogdesk
 * (app-protocol.ts); only an unpackaged app run by `npm run dev` loads the dev server instead.
 */
import { app, BrowserWindow, dialog, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, rendererOrigin, serveRenderer } from './app-protocol';
import { createCore, type Core } from './core';
import { startApiServer, type ApiServer } from './core/api-server';
import { clearServerRecord, writeServerRecord } from './core/api-server/server-record';
import { CSP } from './csp';
import { registerIpc } from './ipc';
import { hardenApp, hardenSession } from './security';
import { safeStorageTokenStore } from './token-store';
import { createWindow } from './window';

let core: Core | null = null;
let apiServer: ApiServer | null = null;
let window: BrowserWindow | null = null;

/** Electron needs a better-sqlite3 built for its own ABI, shipped beside the app (see README). */
function electronSqliteBinding(): string | undefined {
  const dir = `electron-${process.versions.electron}`;
  const candidates = [
    join(process.resourcesPath ?? '', 'native', dir, 'better_sqlite3.node'), // packaged (electron-builder)
    join(__dirname, '..', '..', 'resources', 'native', dir, 'better_sqlite3.node'), // npm run dev / start
  ];
  return candidates.find((p) => existsSync(p));
}

const origin = rendererOrigin(app.isPackaged ? null : process.env.ELECTRON_RENDERER_URL);

// Before `ready`: app:// must be a standard, secure scheme for the page to have an origin of its own.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
hardenApp(origin);
app.setName('Cogdesk');

/** Settles when the window is open and the local API has started (or failed to, which is not fatal). */
export const started: Promise<void> = app.whenReady().then(async () => {
  protocol.handle(APP_SCHEME, serveRenderer(join(__dirname, '../renderer'), CSP));
  hardenSession(session.defaultSession, origin);
  const home = process.env.COGDESK_HOME ?? app.getPath('userData');
  core = await createCore({
    home,
    nativeBinding: electronSqliteBinding(),
    tokenStore: safeStorageTokenStore(home),
    // The registry's CLI auth token (pushes without a `cog login`), encrypted the same way.
    registryTokenStore: safeStorageTokenStore(home, { file: 'replicate-cli-token.enc', envVar: null }),
    // The core checks the path (a prediction's own files only) before the shell sees it.
    showInFolder: async (path) => shell.showItemInFolder(path),
    showFolder: async (path) => {
      const failed = await shell.openPath(path); // answers an error message, or '' when it opened
      if (failed) throw new Error(failed);
    },
  });
  registerIpc(core, () => window, origin);
  window = createWindow(origin);
  const settings = await core.getSettings();
  if (settings.apiServerEnabled) {
    // Replicate's API for local models while the app is open; a taken port (cogdesk serve) is not fatal.
    apiServer = await startApiServer(core, { port: settings.apiServerPort }).catch((e: Error) => {
      console.error(`Local API not started: ${e.message}`);
      return null;
    });
    // So that the CLI's commands go through this window's core and the models stay warm (as with cogdesk serve).
    if (apiServer) writeServerRecord(core.paths.home, { pid: process.pid, port: apiServer.port, url: apiServer.url, startedAt: new Date().toISOString(), by: 'app' });
  }
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow(origin);
  });
});

started.catch((e: Error) => {
  dialog.showErrorBox('Cogdesk could not start', `${e.message}\n\nThe data folder is ${process.env.COGDESK_HOME ?? app.getPath('userData')}.`);
  app.quit();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  // Stop the containers this run started before leaving; nothing else is lost (it is all in SQLite). A quit
  // while the core still opens waits for it, so the core is closed all the same.
  event.preventDefault();
  quitting = true;
  void started
    .catch(() => undefined)
    .then(() => core && clearServerRecord(core.paths.home))
    .then(() => apiServer?.close())
    .catch(() => undefined)
    .then(() => core?.close())
    .catch((e: Error) => console.error(`Cogdesk did not close cleanly: ${e.message}`))
    .finally(() => app.quit());
});
