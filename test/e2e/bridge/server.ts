/**
 * The test bridge: the built renderer (out/renderer) and the real core (createCore over a data folder: real
 * Docker, registry, SQLite) on one loopback origin, so the page's CSP (connect-src 'self') lets it call.
 * POST /call/<method> answers the contract's IpcResult (bridgeFromApi, as the IPC handlers do); GET /events
 * streams the contract's events as server-sent events. The page gets `window.cogdesk` from client.js.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { API_METHODS, bridgeFromApi, EVENT_NAMES, type IpcResult } from '../../../src/shared/api';
import { createCore, type Core, type CoreOptions } from '../../../src/main/core';

export const RENDERER_DIR = resolve(__dirname, '../../../out/renderer');
const CLIENT_JS = readFileSync(join(__dirname, 'client.js'), 'utf8').trim();
const MAX_BODY = 64 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The script that defines window.cogdesk (for page.addInitScript, or served at /__bridge/client.js). */
export function bridgeClientScript(): string {
  return `${CLIENT_JS}(${JSON.stringify(API_METHODS)}, ${JSON.stringify(EVENT_NAMES)});`;
}

export interface TestBridge {
  url: string;
  core: Core;
  /** How many pages listen for events now. */
  listeners(): number;
  close(): Promise<void>;
}

export interface BridgeOptions extends CoreOptions {
  /** Serve index.html with a <script> that installs the bridge (to open the app in any browser by hand). */
  injectClient?: boolean;
  port?: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startBridge(options: BridgeOptions = {}): Promise<TestBridge> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR}/index.html is missing: build the renderer first (npx electron-vite build)`);
  }
  const core = await createCore({ ...options, recover: options.recover ?? 'full' });
  const bridge = bridgeFromApi(core, core.on);
  const streams = new Set<ServerResponse>();
  const offs = EVENT_NAMES.map((name) =>
    core.on(name, (payload) => {
      const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const s of streams) s.write(frame);
    }),
  );
  let origin = '';

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // Loopback only, and only this origin (no DNS rebinding, no other page calling in).
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return send(res, 403, 'text/plain', 'loopback only');
      if (req.headers.origin && req.headers.origin !== origin) return send(res, 403, 'text/plain', 'other origins may not call');

      if (req.method === 'POST' && url.pathname.startsWith('/call/')) {
        const method = url.pathname.slice('/call/'.length);
        if (!(API_METHODS as readonly string[]).includes(method)) return send(res, 404, 'text/plain', `no method ${method}`);
        let args: unknown;
        try {
          args = JSON.parse((await readBody(req)) || '[]');
        } catch (e) {
          return send(res, 400, 'text/plain', `bad body: ${(e as Error).message}`);
        }
        if (!Array.isArray(args)) return send(res, 400, 'text/plain', 'the body must be the arguments as a JSON array');
        const call = bridge[method as (typeof API_METHODS)[number]] as (...a: unknown[]) => Promise<IpcResult<unknown>>;
        // JSON has no undefined: null arguments are left out, as the IPC would have them.
        return send(res, 200, 'application/json', JSON.stringify(await call(...args.map((a) => (a === null ? undefined : a)))));
      }
      if (req.method === 'GET' && url.pathname === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': cogdesk test bridge\n\n');
        streams.add(res);
        const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
        req.on('close', () => {
          clearInterval(ping);
          streams.delete(res);
        });
        return;
      }
      if (req.method === 'GET' && url.pathname === '/__bridge/client.js') return send(res, 200, TYPES['.js'], bridgeClientScript());
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');

      const path = normalize(join(RENDERER_DIR, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
      if (!path.startsWith(RENDERER_DIR + sep) || !existsSync(path) || !statSync(path).isFile()) return send(res, 404, 'text/plain', 'not found');
      if (options.injectClient && path.endsWith('index.html')) {
        const html = readFileSync(path, 'utf8').replace('<head>', '<head>\n    <script src="/__bridge/client.js"></script>');
        return send(res, 200, TYPES['.html'], html);
      }
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(path).pipe(res);
    })().catch((e: Error) => {
      if (!res.headersSent) send(res, 500, 'text/plain', e.message);
      else res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/`,
    core,
    listeners: () => streams.size,
    async close() {
      for (const s of streams) s.end();
      streams.clear();
      for (const off of offs) off();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections?.();
      await core.close();
    },
  };
}
