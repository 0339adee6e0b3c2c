/**
 * What the misbehaving registry proxies share (flaky-proxy.ts for pulls, integration/push/upload-proxy.ts
 * for pushes): an HTTP server on 127.0.0.1 that can go down (every connection dropped and refused) and
 * come back on the same port, and waiting until something it counts has happened.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyServer {
  /** `127.0.0.1:<port>`: the registry host for image references. */
  host: string;
  port: number;
  readonly down: boolean;
  /** Drops every connection and refuses new ones, until up(). */
  goDown(): void;
  /** Listens again on the same port (a no-op when it is up). */
  up(): Promise<void>;
  /** Resolves once `check()` holds; it is asked again at every wake(). */
  until(check: () => boolean): Promise<void>;
  wake(): void;
  close(): Promise<void>;
}

export async function startProxyServer(handler: http.RequestListener): Promise<ProxyServer> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  let down = false;

  server.on('connection', (s: Socket) => {
    if (down) return s.destroy();
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);

  return {
    host: `127.0.0.1:${port}`,
    port,
    get down() {
      return down;
    },
    goDown() {
      down = true;
      server.close();
      for (const s of sockets) s.destroy();
    },
    async up() {
      if (!down) return;
      down = false;
      await listen(port);
    },
    until: (check) =>
      new Promise<void>((resolve) => {
        if (check()) return resolve();
        const w = () => {
          if (!check()) return;
          waiters.delete(w);
          resolve();
        };
        waiters.add(w);
      }),
    wake: () => waiters.forEach((w) => w()),
    async close() {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise<void>((r) => server.close(() => r()));
      waiters.clear();
    },
  };
}
