/**
 * A stand-in for the few Electron modules the shell (src/main/*.ts) and the preload use, for running them in
 * plain Node where Electron's binary cannot be downloaded. Each piece is checked against Electron's own types
 * (`satisfies Pick<Electron.X, ...>`), so a shell that calls Electron wrongly fails to compile here too. It
 * records what the shell installs (handlers, listeners, the window's options) for a test to call and check;
 * it behaves like Electron where the shell depends on it (schemes only before ready, `quit` asks the
 * `before-quit` listeners first).
 */
type Listener = (...args: any[]) => unknown;

/**
 * Electron's objects are Node EventEmitters; this is the part the shell uses, with the listeners readable.
 * `on`, `once` and `off` answer `any` where Electron's answer the whole object (`this`), so `satisfies` can
 * check their events and listeners against each of Electron's overloads without the stand-in being all of it.
 */
class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): any {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): any {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  off(event: string, listener: Listener): any {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    const listeners = this.listeners.get(event) ?? [];
    for (const l of listeners) l(...args);
    return listeners.length > 0;
  }
}

/** An event a listener may prevent (will-navigate, before-quit, ...). */
export function preventable(): { preventDefault(): void; defaultPrevented: boolean } {
  const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
  return e;
}

type WindowOpenHandler = Parameters<Electron.WebContents['setWindowOpenHandler']>[0];
type PermissionRequestHandler = NonNullable<Parameters<Electron.Session['setPermissionRequestHandler']>[0]>;
type PermissionCheckHandler = NonNullable<Parameters<Electron.Session['setPermissionCheckHandler']>[0]>;
type HeadersListener = NonNullable<Parameters<Electron.WebRequest['onHeadersReceived']>[0]>;
type ProtocolHandler = Parameters<Electron.Protocol['handle']>[1];
type InvokeListener = Parameters<Electron.IpcMain['handle']>[1];
export type Frame = Pick<Electron.WebFrameMain, 'url' | 'parent'>;
/** The Electron methods `K` of `T`, with Electron's signatures, beside the stand-in's own records. */
type Has<T, K extends keyof T> = Pick<T, K> & Record<string, unknown>;

export function createElectronStandIn(options: { userData: string; isPackaged?: boolean }) {
  let ready = false;
  let quitDone!: () => void;
  const quitted = new Promise<void>((r) => (quitDone = r));

  const app = Object.assign(new Emitter(), {
    isPackaged: options.isPackaged ?? true,
    name: 'Electron',
    whenReady: () => Promise.resolve().then(() => void (ready = true)),
    isReady: () => ready,
    setName(name: string) {
      app.name = name;
    },
    getPath: (name: Parameters<Electron.App['getPath']>[0]) => {
      if (name !== 'userData') throw new Error(`stand-in app.getPath: ${name} is not kept here`);
      return options.userData;
    },
    /** Like Electron: every before-quit listener is asked; the app quits only when none prevents it. */
    quit() {
      const event = preventable();
      app.emit('before-quit', event);
      if (event.defaultPrevented) return;
      app.emit('will-quit', preventable());
      app.emit('quit');
      quitDone();
    },
  }) satisfies Pick<Electron.App, 'on' | 'once' | 'whenReady' | 'isReady' | 'setName' | 'getPath' | 'quit' | 'isPackaged' | 'name'>;

  const webRequest = {
    headersListener: null as HeadersListener | null,
    /** Both of Electron's forms: (listener) and (filter, listener). */
    onHeadersReceived(first: Electron.WebRequestFilter | HeadersListener | null, second?: HeadersListener | null) {
      webRequest.headersListener = typeof first === 'function' || first === null ? first : (second ?? null);
    },
  } satisfies Has<Electron.WebRequest, 'onHeadersReceived'>;
  const defaultSession = {
    webRequest,
    permissionRequest: null as PermissionRequestHandler | null,
    permissionCheck: null as PermissionCheckHandler | null,
    setPermissionRequestHandler(handler: PermissionRequestHandler | null) {
      defaultSession.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler: PermissionCheckHandler | null) {
      defaultSession.permissionCheck = handler;
    },
  } satisfies Has<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

  class WebContents extends Emitter {
    windowOpenHandler: WindowOpenHandler | null = null;
    readonly sent: Array<{ channel: string; args: unknown[] }> = [];
    readonly session = defaultSession;
    setWindowOpenHandler(handler: WindowOpenHandler) {
      this.windowOpenHandler = handler;
    }
    send(channel: string, ...args: unknown[]) {
      this.sent.push({ channel, args });
    }
  }
  const _webContentsCheck = WebContents.prototype satisfies Pick<Electron.WebContents, 'on' | 'setWindowOpenHandler' | 'send'>;

  const windows: BrowserWindow[] = [];
  class BrowserWindow extends Emitter {
    static getAllWindows(): BrowserWindow[] {
      return windows;
    }
    readonly webContents = new WebContents();
    readonly loaded: string[] = [];
    shown = false;
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      if (!ready) throw new Error('stand-in: a BrowserWindow cannot be created before the app is ready');
      windows.push(this);
      // As Electron does: the app hears of the new web contents before the caller gets the window.
      app.emit('web-contents-created', preventable(), this.webContents);
    }
    async loadURL(url: string) {
      this.loaded.push(url);
      this.emit('ready-to-show');
    }
    show() {
      this.shown = true;
    }
  }
  const _windowCheck = BrowserWindow.prototype satisfies Pick<Electron.BrowserWindow, 'once' | 'loadURL' | 'show'>;
  const _windowStaticCheck = BrowserWindow satisfies { getAllWindows(): unknown[] };

  const protocol = {
    privileged: [] as Electron.CustomScheme[],
    handlers: new Map<string, ProtocolHandler>(),
    registerSchemesAsPrivileged(schemes: Electron.CustomScheme[]) {
      if (ready) throw new Error('stand-in: protocol.registerSchemesAsPrivileged must be called before the app is ready (as in Electron)');
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: ProtocolHandler) {
      if (!ready) throw new Error('stand-in: protocol.handle needs the app to be ready (as in Electron)');
      protocol.handlers.set(scheme, handler);
    },
  } satisfies Has<Electron.Protocol, 'registerSchemesAsPrivileged' | 'handle'>;

  const ipcMain = {
    handlers: new Map<string, InvokeListener>(),
    handle(channel: string, listener: InvokeListener) {
      if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcMain.handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      ipcMain.handlers.delete(channel);
    },
    /** What Electron does for `ipcRenderer.invoke` from `frame`: the handler's answer, arguments copied. */
    async invokeFrom(frame: Frame | null, channel: string, ...args: unknown[]): Promise<unknown> {
      const listener = ipcMain.handlers.get(channel);
      if (!listener) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      const event = { senderFrame: frame, sender: null, processId: 1, frameId: 1 } as unknown as Electron.IpcMainInvokeEvent;
      return structuredClone(await listener(event, ...structuredClone(args)));
    },
  } satisfies Has<Electron.IpcMain, 'handle' | 'removeHandler'>;

  const shell = {
    opened: [] as string[],
    shownInFolder: [] as string[],
    async openExternal(url: string) {
      shell.opened.push(url);
    },
    showItemInFolder(path: string) {
      shell.shownInFolder.push(path);
    },
    async openPath(path: string) {
      shell.shownInFolder.push(path);
      return '';
    },
  } satisfies Has<Electron.Shell, 'openExternal' | 'showItemInFolder' | 'openPath'>;

  const dialog = {
    errors: [] as Array<{ title: string; content: string }>,
    showErrorBox(title: string, content: string) {
      dialog.errors.push({ title, content });
    },
  } satisfies Has<Electron.Dialog, 'showErrorBox'>;

  /** Reversible, and visibly not plain text: enough for the token store's round trip. */
  const safeStorage = {
    isEncryptionAvailable: () => true,
    encryptString: (plain: string) => Buffer.from(`stand-in:${Buffer.from(plain).toString('base64')}`),
    decryptString: (data: Buffer) => Buffer.from(data.toString().replace(/^stand-in:/, ''), 'base64').toString(),
  } satisfies Has<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>;

  // The renderer side, for the preload: calls go to ipcMain's handlers as if from `rendererFrame`.
  const rendererFrame: { current: Frame | null } = { current: null };
  const ipcRenderer = Object.assign(new Emitter(), {
    invoke: (channel: string, ...args: unknown[]) => ipcMain.invokeFrom(rendererFrame.current, channel, ...args),
  }) satisfies Pick<Electron.IpcRenderer, 'invoke' | 'on' | 'off'>;
  const contextBridge = {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld(key: string, api: unknown) {
      contextBridge.exposed.set(key, api);
    },
  } satisfies Has<Electron.ContextBridge, 'exposeInMainWorld'>;

  void [_webContentsCheck, _windowCheck, _windowStaticCheck];
  return {
    module: { app, BrowserWindow, protocol, session: { defaultSession }, ipcMain, shell, dialog, safeStorage, ipcRenderer, contextBridge },
    windows,
    rendererFrame,
    /** Settles when the app has really quit (no before-quit listener held it back). */
    quitted,
  };
}

export type ElectronStandIn = ReturnType<typeof createElectronStandIn>;
