import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CogPredictionResponse } from './protocol';

export type WebhookListener = (state: CogPredictionResponse) => void;

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

/**
 * The rule for webhooks out of order: coglet sends each on its own, so a `logs` or `output` event can arrive
 * after `completed`. Once a prediction's terminal state has arrived, a later non-terminal one changes
 * nothing (true: drop it).
 */
export function isLateWebhook(terminalSeen: boolean, state: Pick<CogPredictionResponse, 'status'>): boolean {
  return terminalSeen && !TERMINAL.has(state.status);
}

/** Ids of the predictions whose terminal webhook has arrived (the latest few thousand). */
const finishedIds = new Set<string>();
/** Who waits for a prediction's terminal webhook (a Go runtime prediction's result comes only that way). */
const terminalWaiters = new Map<string, (state: CogPredictionResponse) => void>();

function noteTerminal(predictionId: string, state: CogPredictionResponse): void {
  finishedIds.add(predictionId);
  if (finishedIds.size > 5000) finishedIds.delete(finishedIds.values().next().value as string);
  const waiter = terminalWaiters.get(predictionId);
  terminalWaiters.delete(predictionId);
  waiter?.(state);
}

/**
 * Waits for a prediction's terminal webhook (its listener must be registered with a WebhookReceiver of this
 * process). `cancel` stops waiting. Register before sending: the webhook may beat the answer.
 */
export function awaitTerminalWebhook(predictionId: string): { state: Promise<CogPredictionResponse>; cancel: () => void } {
  let resolve!: (s: CogPredictionResponse) => void;
  const state = new Promise<CogPredictionResponse>((r) => (resolve = r));
  terminalWaiters.set(predictionId, resolve);
  return { state, cancel: () => terminalWaiters.get(predictionId) === resolve && terminalWaiters.delete(predictionId) };
}
/**
 * For an authentic webhook of a prediction no listener runs here (its process died): true when it was
 * taken care of (answered 200), false to answer 503 so that Cog tries again later (it retries `completed`).
 */
export type OrphanHandler = (predictionId: string, state: CogPredictionResponse) => Promise<boolean>;

/**
 * Receives the webhooks a Cog container sends while a prediction runs (start, output, logs, completed),
 * so logs and streamed output show up live. Each prediction's path carries a token (an HMAC of its id
 * with this home's secret), so only the container that was given the URL can post to it, and the same
 * URL still works after a restart on the same port (Cog retries `completed` for minutes).
 * It listens on 127.0.0.1 and, where containers reach the host through a bridge gateway on this
 * machine, on that address too (never on all interfaces).
 */
export class WebhookReceiver {
  private readonly listeners = new Map<string, WebhookListener>();
  private readonly servers: http.Server[] = [];
  port = 0;
  /** Takes the webhooks of predictions whose process is gone; without one they get 404. */
  onOrphan?: OrphanHandler;

  constructor(private readonly secret: string) {}

  private token(predictionId: string): string {
    return createHmac('sha256', this.secret).update(predictionId).digest('hex').slice(0, 32);
  }

  /** Listens on each address; true when it got `preferredPort` (false when another process holds it). */
  async listen(addresses: string[], preferredPort = 0): Promise<boolean> {
    let port = preferredPort;
    for (const address of addresses) {
      const server = http.createServer((req, res) => this.handle(req, res));
      server.keepAliveTimeout = 5_000;
      try {
        await listenOn(server, address, port);
      } catch (e) {
        // The preferred port is taken (another Cogdesk on the same data folder): take any free one.
        if (port !== 0 && this.servers.length === 0 && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          port = 0;
          await listenOn(server, address, 0);
        } else if (this.servers.length > 0) {
          continue; // the gateway address is optional; loopback is what matters
        } else {
          throw e;
        }
      }
      port = (server.address() as AddressInfo).port;
      this.servers.push(server);
    }
    this.port = port;
    return preferredPort !== 0 && port === preferredPort;
  }

  /** Registers a prediction; returns the path its webhooks go to. */
  register(predictionId: string, listener: WebhookListener): string {
    this.listeners.set(predictionId, listener);
    finishedIds.delete(predictionId);
    return `/webhook/${predictionId}/${this.token(predictionId)}`;
  }

  unregister(predictionId: string): void {
    this.listeners.delete(predictionId);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    this.servers.length = 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const match = /^\/webhook\/([a-z0-9]+)\/([a-f0-9]{32})$/.exec(req.url ?? '');
    const valid = match && timingSafeEqual(Buffer.from(match[2]), Buffer.from(this.token(match[1])));
    const listener = match && valid ? this.listeners.get(match[1]) : undefined;
    const orphan = match && valid && !listener ? this.onOrphan : undefined;
    if (req.method !== 'POST' || !match || !valid || (!listener && !orphan)) {
      res.writeHead(404).end();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      let state: CogPredictionResponse;
      try {
        state = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (!state || typeof state !== 'object') {
        res.writeHead(400).end();
        return;
      }
      const id = match[1];
      if (isLateWebhook(finishedIds.has(id), state)) {
        // Taken (so it is not sent again), and dropped: the prediction has finished.
        res.writeHead(200).end();
        return;
      }
      if (TERMINAL.has(state.status)) noteTerminal(id, state);
      if (listener) {
        res.writeHead(200).end();
        listener(state);
        return;
      }
      orphan!(match[1], state).then(
        (taken) => res.writeHead(taken ? 200 : 503).end(),
        () => res.writeHead(503).end(),
      );
    });
  }
}

function listenOn(server: http.Server, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
