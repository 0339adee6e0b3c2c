/**
 * The local API's sockets: idle connections are closed, a client that drips its headers is cut off, and
 * connections over the cap are answered 503 and closed. The timeouts are made short here (the server takes
 * them as options); every loop is bounded, and all traffic stays on 127.0.0.1.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { openCore, waitFor } from '../../helpers/core';
import { rawCall } from './raw-call';

type TestCore = Awaited<ReturnType<typeof openCore>>;

/** A raw connection: what it has received, and a promise that settles when the server closes it. */
function connect(port: number): Promise<{ socket: net.Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => undefined); // a reset also ends it
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

describe('connection limits of the local API', () => {
  let core: TestCore;
  let server: ApiServer;
  const HEADERS_MS = 300;

  beforeAll(async () => {
    core = await openCore();
    server = await startApiServer(core, { port: 0, connections: { headersMs: HEADERS_MS, requestMs: 1_000, keepAliveMs: 300 } });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });

  it('closes connections that never send a request, with a 408 that says why', async () => {
    const idle = await Promise.all(Array.from({ length: 50 }, () => connect(server.port)));
    await Promise.all(idle.map((c) => c.closed));
    for (const c of idle) {
      expect(c.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(c.received()).toContain('"detail":"The request did not arrive in time');
    }
  });

  it('closes a kept-alive connection once it sits idle after its answer', async () => {
    const c = await connect(server.port);
    c.socket.write(`GET /v1/hardware HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(c.received()).toContain('"sku":"cpu"');
  });

  it('cuts off a client that drips its headers (slowloris)', async () => {
    const c = await connect(server.port);
    let open = true;
    void c.closed.then(() => (open = false));
    c.socket.write(`GET /v1/hardware HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
    // One header line every 50 ms, forever unless cut off: at most 400 of them (20 s, far past the 300 ms limit).
    let dripped = 0;
    while (open && dripped < 400) {
      if (!c.socket.destroyed) c.socket.write(`X-Drip-${dripped}: ${'x'.repeat(10)}\r\n`);
      dripped++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(open).toBe(false);
    expect(dripped).toBeLessThan(400);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers connections over the cap with a 503 and closes them, and takes new ones when there is room', async () => {
    const capped = await startApiServer(core, { port: 0, connections: { maxConnections: 3, headersMs: 60_000, requestMs: 60_000 } });
    try {
      const held = [];
      for (let i = 0; i < 3; i++) held.push(await connect(capped.port));
      const over = await connect(capped.port);
      over.socket.write(`GET /v1/hardware HTTP/1.1\r\nHost: 127.0.0.1:${capped.port}\r\nAuthorization: Bearer ${capped.token}\r\n\r\n`);
      await over.closed;
      expect(over.received()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(over.received()).toContain('The local API has 3 connections open, the most it keeps');
      expect(over.received()).not.toContain('"sku"'); // the request itself was never served

      held[0].socket.destroy();
      await held[0].closed;
      const again = await waitFor(async () => {
        const res = await rawCall(capped, 'GET', '/v1/hardware').catch(() => null);
        return res?.status === 200 ? res : null;
      }, 'a connection once one is closed');
      expect(again.status).toBe(200);
      for (const c of held) c.socket.destroy();
    } finally {
      await capped.close();
    }
  });
});
