/**
 * The server the `weights` fixture's setup downloads from (its default FIXTURE_WEIGHTS_URL is
 * host.docker.internal:5197, which containers reach through the Docker bridge's gateway): two files of
 * deterministic bytes, every request counted. Listens on the bridge gateway address only.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type Docker from 'dockerode';

export const WEIGHTS_PORT = 5197;
export const WEIGHT_SIZES = [3 * 1024 * 1024, 1024 * 1024];

export interface WeightsServer {
  /** Requests served so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Deterministic bytes for weight file n. */
export function weightFile(n: number): Buffer {
  const out = Buffer.alloc(WEIGHT_SIZES[n]);
  for (let i = 0; i < out.length; i += 32) createHash('sha256').update(`${n}:${i}`).digest().copy(out, i);
  return out;
}

export async function bridgeGateway(docker: Docker): Promise<string> {
  const net = (await docker.getNetwork('bridge').inspect()) as { IPAM?: { Config?: Array<{ Gateway?: string }> } };
  return net.IPAM?.Config?.find((c) => c.Gateway)?.Gateway ?? '172.17.0.1';
}

/**
 * `files` replaces the two default files (the benchmark serves hundreds of MB); `stallMs` holds every answer
 * that long (a setup that is still downloading when its process is killed).
 */
export async function startWeightsServer(
  docker: Docker,
  files: Buffer[] = WEIGHT_SIZES.map((_, n) => weightFile(n)),
  o: { stallMs?: number } = {},
): Promise<WeightsServer> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const n = Number(/^\/weights\/(\d)$/.exec(req.url ?? '')?.[1] ?? -1);
    if (!(n in files)) return void res.writeHead(404).end();
    const send = () => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(files[n]);
    if (o.stallMs) setTimeout(send, o.stallMs).unref();
    else send();
  });
  const address = await bridgeGateway(docker);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(WEIGHTS_PORT, address, () => resolve());
  });
  return {
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
