/**
 * The one window: sandboxed, isolated, no Node, no middle-click windows; it shows the renderer's entry page.
 * Its navigation and new-window handlers are installed for every web contents by hardenApp (security.ts).
 */
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { RendererOrigin } from './app-protocol';

export function createWindow(origin: RendererOrigin): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Cogdesk',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // A middle click on a link would otherwise open it in a new window (auxclick).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(origin.entry);
  return win;
}
