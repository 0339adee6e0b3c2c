/**
 * An HTTP proxy in front of a registry for pushes (test/helpers/flaky-proxy.ts misbehaves on blob
 * downloads; a push uploads): it can cut a blob upload after N bytes of its body and then stop answering
 * (the network dropping mid-push), pace uploads (so a push can be canceled midway), or refuse uploads with
 * DENIED (a registry refusing the push). Push through `127.0.0.1:<port>/<repo>`: Docker treats
 * 127.0.0.0/8 registries as plain-HTTP ones. The registry builds its upload URLs from the Host header, so
 * they point back at the proxy.
 */
import http from 'node:http';
import { startProxyServer, type ProxyServer } from '../../helpers/proxy-server';

export interface UploadProxyOptions {
  /** The registry, `host:port`. */
  target: string;
  /**
   * Cut the first blob upload whose body goes past this many bytes: its connection is dropped and the
   * proxy stops answering (connections refused) until heal().
   */
  cutAfterBytes?: number;
  /** Hold the cut until this many blob uploads have completed (so some layers are in the registry). Default 1. */
  cutAfterCompleted?: number;
  /** Pace blob upload bodies to this many bytes per second. */
  bytesPerSecond?: number;
  /**
   * Answer 403 DENIED (what a registry says to a push it refuses): to the manifest (the layers go up, the
   * image is refused at the end; Docker gives up at once), or to every blob upload (Docker 20.10 retries
   * those five times, about 50 s, before giving up).
   */
  deny?: 'manifest' | 'uploads';
}

export interface UploadProxy {
  /** `127.0.0.1:<port>`: the registry host for image names. */
  host: string;
  port: number;
  /** `METHOD /path` of every request. */
  readonly requests: string[];
  /** Digests of the blob uploads the registry completed (PUT ...?digest= answered 201), in order. */
  readonly completed: string[];
  /** Blob upload body bytes forwarded so far. */
  readonly uploadBytes: number;
  /** Resolves once an upload has been cut. */
  cut(): Promise<void>;
  /** Resolves once `bytes` upload bytes have been forwarded. */
  sent(bytes: number): Promise<void>;
  /** Stops cutting, pacing and denying, and listens again if it was down. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

const UPLOAD = /^\/v2\/.+\/blobs\/uploads\//;

export async function startUploadProxy(opts: UploadProxyOptions): Promise<UploadProxy> {
  const [targetHost, targetPort] = opts.target.split(':');
  let cutAfter = opts.cutAfterBytes;
  let pace = opts.bytesPerSecond;
  let deny = opts.deny ?? null;
  let cuts = 0;
  let uploadBytes = 0;
  const requests: string[] = [];
  const completed: string[] = [];

  // The handler runs only once the server listens, when `proxy` is set.
  const proxy: ProxyServer = await startProxyServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const upload = UPLOAD.test(url);
    const manifest = req.method === 'PUT' && /^\/v2\/.+\/manifests\/[^/]+$/.test(url);
    if ((deny === 'uploads' && upload) || (deny === 'manifest' && manifest)) {
      res.writeHead(403, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
      res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }));
      req.resume();
      return;
    }
    const upstream = http.request({ host: targetHost, port: Number(targetPort), method: req.method, path: url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (req.method === 'PUT' && up.statusCode === 201 && UPLOAD.test(url)) {
        const digest = new URL(url, 'http://proxy').searchParams.get('digest');
        if (digest) completed.push(digest);
        proxy.wake();
      }
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    if (!upload || (req.method !== 'PATCH' && req.method !== 'PUT')) {
      req.pipe(upstream);
      return;
    }
    void forwardBody(req, res, upstream);
  });

  async function forwardBody(req: http.IncomingMessage, res: http.ServerResponse, upstream: http.ClientRequest): Promise<void> {
    let here = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        for (let off = 0; off < chunk.length; ) {
          const piece = chunk.subarray(off, off + 16 * 1024);
          if (cutAfter !== undefined && cuts === 0 && here + piece.length > cutAfter) {
            // Hold here until enough other layers are in the registry, then drop everything.
            await proxy.until(() => completed.length >= (opts.cutAfterCompleted ?? 1) || cutAfter === undefined);
            if (cutAfter !== undefined && cuts === 0) {
              cuts++;
              proxy.goDown();
              upstream.destroy();
              res.destroy();
              proxy.wake();
              return;
            }
          }
          if (!upstream.write(piece)) await new Promise((r) => upstream.once('drain', r));
          here += piece.length;
          uploadBytes += piece.length;
          off += piece.length;
          proxy.wake();
          if (pace) await new Promise((r) => setTimeout(r, (piece.length / pace!) * 1000));
          if (res.destroyed) {
            upstream.destroy();
            return;
          }
        }
      }
      upstream.end();
    } catch {
      upstream.destroy();
      res.destroy();
    }
  }

  return {
    host: proxy.host,
    port: proxy.port,
    requests,
    completed,
    get uploadBytes() {
      return uploadBytes;
    },
    cut: () => proxy.until(() => cuts > 0),
    sent: (bytes) => proxy.until(() => uploadBytes >= bytes),
    async heal() {
      cutAfter = undefined;
      pace = undefined;
      deny = null;
      proxy.wake();
      await proxy.up();
    },
    close: () => proxy.close(),
  };
}
