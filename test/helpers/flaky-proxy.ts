/**
 * An HTTP proxy in front of a registry that can misbehave on purpose: slow blob downloads down, cut a blob
 * response after N bytes, and then stop answering (the registry "dies"), or come back (`heal`).
 * Pull through `127.0.0.1:<port>/<repo>`: Docker treats 127.0.0.0/8 registries as plain-HTTP ones.
 */
import http from 'node:http';
import { startProxyServer, type ProxyServer } from './proxy-server';

export interface FlakyProxyOptions {
  /** The registry to forward to, `host:port`. */
  target: string;
  /** Pace blob response bodies to this many bytes per second. */
  bytesPerSecond?: number;
  /** Cut the connection after this many bytes of a blob response body. */
  cutAfterBytes?: number;
  /** Cut at most this many blob responses (default: every one until heal()). */
  maxCuts?: number;
  /**
   * After a cut, until heal(): 'down' refuses every connection (Docker then retries for minutes before it
   * gives up), 'gone' answers blob requests 404 BLOB_UNKNOWN like a registry that came back without its
   * data (Docker gives up at its first retry), 'up' keeps serving. Default 'down'.
   */
  afterCut?: 'down' | 'up' | 'gone';
}

export interface FlakyProxy {
  /** `127.0.0.1:<port>`: use as the registry host in image references. */
  host: string;
  port: number;
  /** Blob body bytes sent to clients so far. */
  readonly blobBytes: number;
  /** How many blob responses were cut. */
  readonly cuts: number;
  /** Requests seen, as `METHOD /path` (plus ` range=...` when the client asked for a byte range). */
  readonly requests: string[];
  /** Resolves once a blob response has been cut. */
  cut(): Promise<void>;
  /** Resolves once `bytes` blob bytes have gone out. */
  sent(bytes: number): Promise<void>;
  /** Stops cutting and pacing, and listens again if the proxy was down. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

const BLOB = /^\/v2\/.+\/blobs\/sha256:[a-f0-9]{64}/;

export async function startFlakyProxy(opts: FlakyProxyOptions): Promise<FlakyProxy> {
  const [targetHost, targetPort] = opts.target.split(':');
  let pace = opts.bytesPerSecond;
  let cutAfter = opts.cutAfterBytes;
  let gone = false;
  let blobBytes = 0;
  let cuts = 0;
  const requests: string[] = [];
  // The handler runs only once the server listens, when `proxy` is set.
  const proxy: ProxyServer = await startProxyServer((req, res) => {
    requests.push(`${req.method} ${req.url}${req.headers.range ? ` range=${req.headers.range}` : ''}`);
    if (gone && BLOB.test(req.url ?? '')) {
      const body = JSON.stringify({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry' }] });
      res.writeHead(404, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
      res.end(body);
      return;
    }
    const upstream = http.request(
      { host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (req.method !== 'GET' || !BLOB.test(req.url ?? '') || (up.statusCode ?? 0) >= 300) {
          up.pipe(res);
          return;
        }
        void sendBlob(up, res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });

  async function sendBlob(up: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let sentHere = 0;
    try {
      for await (const chunk of up as AsyncIterable<Buffer>) {
        for (let off = 0; off < chunk.length; ) {
          let piece = chunk.subarray(off, off + 16 * 1024);
          if (cutAfter !== undefined && cuts < (opts.maxCuts ?? Infinity) && sentHere + piece.length >= cutAfter) {
            piece = piece.subarray(0, Math.max(0, cutAfter - sentHere));
            if (piece.length) await write(res, piece);
            blobBytes += piece.length;
            cuts++;
            if ((opts.afterCut ?? 'down') === 'down') proxy.goDown();
            if (opts.afterCut === 'gone') gone = true;
            res.socket?.destroy();
            up.destroy();
            proxy.wake();
            return;
          }
          await write(res, piece);
          sentHere += piece.length;
          blobBytes += piece.length;
          off += piece.length;
          proxy.wake();
          if (pace) await sleep((piece.length / pace) * 1000);
          if (res.destroyed) {
            up.destroy();
            return;
          }
        }
      }
      res.end();
    } catch {
      res.destroy();
    }
  }

  return {
    host: proxy.host,
    port: proxy.port,
    get blobBytes() {
      return blobBytes;
    },
    get cuts() {
      return cuts;
    },
    requests,
    cut: () => proxy.until(() => cuts > 0),
    sent: (bytes) => proxy.until(() => blobBytes >= bytes),
    async heal() {
      pace = undefined;
      cutAfter = undefined;
      gone = false;
      await proxy.up();
    },
    close: () => proxy.close(),
  };
}

function write(res: http.ServerResponse, piece: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) return reject(new Error('client gone'));
    res.write(piece, (err) => (err ? reject(err) : resolve()));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
