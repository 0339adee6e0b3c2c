/**
 * Electron's security checklist, in one place: a strict CSP, no navigation, no new windows, no webviews,
 * external links only for http(s) and only through the system browser, no permissions but writing to the
 * clipboard and notifications, and IPC only from the app's own top frame.
 */
import { app, shell, type Session, type WebContents, type WebFrameMain } from 'electron';
import type { RendererOrigin } from './app-protocol';
import { CSP } from './csp';

/**
 * What the page may ask for: writing the clipboard (the copy buttons) and desktop notifications (long work
 * that ends in the background, a setting). Never reading the clipboard, no camera, no location.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'notifications']);

/** True for the app's own top frame (not an iframe, whatever the CSP lets through). */
export function isTrustedSender(frame: WebFrameMain | null, origin: RendererOrigin): boolean {
  return !!frame && frame.parent === null && origin.isTrusted(frame.url);
}

export function safeExternalUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Every web contents (the window's and any other): stays on the app's pages, opens nothing itself. */
export function hardenContents(contents: WebContents, origin: RendererOrigin): void {
  contents.on('will-navigate', (event, url) => {
    if (!origin.isTrusted(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!origin.isTrusted(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const safe = safeExternalUrl(url);
    if (safe) void shell.openExternal(safe);
    return { action: 'deny' };
  });
}

/**
 * The window's session: the CSP on every response, permissions only for the app's own pages. The dev server's
 * page keeps only its meta policy (csp.ts's dev one): Vite puts React's hot-reload preamble, an inline script,
 * in front of that tag, and a header policy would block it.
 */
export function hardenSession(session: Session, origin: RendererOrigin): void {
  if (!origin.dev) {
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
  }
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && origin.isTrusted(details.requestingUrl));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && origin.isTrusted(requestingOrigin));
}

/** Hardens every web contents the app ever creates, as it is created. */
export function hardenApp(origin: RendererOrigin): void {
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, origin));
}
