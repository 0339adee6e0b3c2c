/**
 * The preload: exposes the contract (src/shared/api.ts) to the renderer as `window.cogdesk`, one named
 * function per call and a typed `on` for events. Nothing else: no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_METHODS, EVENT_NAMES, IPC_PREFIX, type CogdeskBridge, type EventName, type IpcResult } from '../shared/api';
import { CogdeskError } from '../shared/errors';

const bridge = {} as Record<string, unknown>;
for (const method of API_METHODS) {
  bridge[method] = async (...args: unknown[]) => {
    const result = (await ipcRenderer.invoke(IPC_PREFIX + method, ...args)) as IpcResult<unknown>;
    if (result.ok) return result.value;
    throw new CogdeskError(result.error);
  };
}
bridge.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event ${String(event)}`);
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(IPC_PREFIX + 'event:' + event, wrapped);
  return () => ipcRenderer.off(IPC_PREFIX + 'event:' + event, wrapped);
};

contextBridge.exposeInMainWorld('cogdesk', bridge as unknown as CogdeskBridge);
