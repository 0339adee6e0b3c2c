import { ipcMain, type BrowserWindow } from 'electron';
import { API_METHODS, bridgeFromApi, EVENT_NAMES, IPC_PREFIX, type IpcResult } from '../shared/api';
import type { RendererOrigin } from './app-protocol';
import type { Core } from './core';
import { isTrustedSender } from './security';

/** One handler per contract method; each checks its sender (the app's own top frame) and answers errors as values. */
export function registerIpc(core: Core, window: () => BrowserWindow | null, origin: RendererOrigin): () => void {
  const bridge = bridgeFromApi(core, core.on);
  for (const method of API_METHODS) {
    ipcMain.handle(IPC_PREFIX + method, async (event, ...args: unknown[]): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event.senderFrame, origin)) {
        const from = event.senderFrame?.url || 'no frame';
        return {
          ok: false,
          error: {
            code: 'bad_request',
            message: `Refused ${method}: the call came from ${from}, not from Cogdesk's own window`,
            hint: 'Only the app\'s own page (app://cogdesk, or the dev server under `npm run dev`) may call Cogdesk; reload the window.',
          },
        };
      }
      return (bridge[method] as (...a: unknown[]) => Promise<IpcResult<unknown>>)(...args);
    });
  }
  const offs = EVENT_NAMES.map((name) =>
    core.on(name, (payload) => window()?.webContents.send(IPC_PREFIX + 'event:' + name, payload)),
  );
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(IPC_PREFIX + method);
    for (const off of offs) off();
  };
}
