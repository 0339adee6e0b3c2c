/**
 * Where the window's pages come from, and which URLs count as the app's own: app://cogdesk (the built
 * renderer, served by `serveRenderer`) or, in development only, the dev server's origin. Plain Node (no
 * Electron import), so the checks are tested directly.
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'cogdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The scheme's privileges, for `protocol.registerSchemesAsPrivileged` before the app is ready: standard
 * (an origin, relative URLs, storage), secure (like https), fetch and CORS for the page's module scripts.
 * Never `bypassCSP`.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

export interface RendererOrigin {
  /** The URL the window loads. */
  entry: string;
  /** True for a URL of the app's own pages: the exact origin, never a prefix or a substring. */
  isTrusted(url: string): boolean;
  dev: boolean;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The built app at app://cogdesk, or the dev server at `devUrl` (only ever given when not packaged). */
export function rendererOrigin(devUrl?: string | null): RendererOrigin {
  const dev = devUrl ? parse(devUrl) : null;
  if (devUrl && (!dev || (dev.protocol !== 'http:' && dev.protocol !== 'https:'))) {
    throw new Error(`ELECTRON_RENDERER_URL must be the dev server's http(s) URL, not "${devUrl}"`);
  }
  if (dev) {
    return { entry: dev.href, dev: true, isTrusted: (url) => parse(url)?.origin === dev.origin };
  }
  return {
    entry: `${APP_ORIGIN}/index.html`,
    dev: false,
    // Node's URL gives no origin for a custom scheme ("null"): compare its parts, all of them.
    isTrusted: (url) => {
      const u = parse(url);
      return !!u && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
    },
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

function answer(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * The handler for `protocol.handle(APP_SCHEME, ...)`: files of the built renderer folder `root`, each with
 * the page's CSP. Only app://cogdesk, only GET and HEAD, and nothing outside `root` (`..`, encoded slashes,
 * NUL bytes are refused).
 */
export function serveRenderer(root: string, csp: string): (request: Request) => Promise<Response> {
  const base = resolve(root);
  return async (request) => {
    const url = parse(request.url);
    if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return answer(404, `Not an address of Cogdesk: ${request.url}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, `${request.method} is not served here`);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return answer(400, `Malformed path: ${url.pathname}`);
    }
    const file = resolve(base, '.' + sep + (path === '/' ? 'index.html' : path.replace(/^\/+/, '')));
    if (path.includes('\0') || !file.startsWith(base + sep)) return answer(403, `Refused: ${url.pathname} is outside the app`);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return answer(404, `No such file in the app: ${url.pathname}`);
      throw e;
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    });
  };
}
