/**
 * The preload: exposes the contract (src/shared/api.ts) to the renderer as `window.cogdesk`, one named
 * function per call answering an IpcResult, and a typed `on` for events. Nothing else: no ipcRenderer,
 * no Node.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_METHODS, EVENT_NAMES, IPC_PREFIX, type CogdeskBridge, type EventName } from '../shared/api';

const bridge = {} as Record<string, unknown>;
for (const method of API_METHODS) {
  bridge[method] = (...args: unknown[]) => ipcRenderer.invoke(IPC_PREFIX + method, ...args);
}
bridge.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event ${String(event)}`);
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(IPC_PREFIX + 'event:' + event, wrapped);
  return () => ipcRenderer.off(IPC_PREFIX + 'event:' + event, wrapped);
};

contextBridge.exposeInMainWorld('cogdesk', bridge as CogdeskBridge);
