/**
 * Webhooks for predictions made through the API, as Replicate sends them: a POST of the prediction JSON on
 * `start`, `output`, `logs` and `completed` (filtered by `webhook_events_filter`; `output` and `logs` at
 * most every 500 ms; `start` and `completed` always), signed the Standard Webhooks way: headers
 * `webhook-id`, `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">` keyed with the base64 part of the `whsec_` secret), so
 * `Replicate.validateWebhook` and any Standard Webhooks library accept them. A failed delivery is tried a
 * few more times with the same `webhook-id`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { isTerminal, type Prediction } from '../../../shared/domain';

export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['start', 'output', 'logs', 'completed'];

/** `v1,<signature>` for one message. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface WebhookDeliveryOptions {
  secret: string;
  fetch?: typeof fetch;
  /** Waits before each retry (ms); its length is how many retries. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  throttleMs?: number;
  /** Told about deliveries that failed for good (the server logs them). */
  onFailure?: (url: string, reason: string) => void;
}

interface Watch {
  url: string;
  events: ReadonlySet<WebhookEvent>;
  render: (p: Prediction) => Promise<unknown>;
  lastOutput: string;
  lastLogs: number;
  lastSentAt: number;
  latest: Prediction | null;
  timer: NodeJS.Timeout | null;
  chain: Promise<void>;
  done: boolean;
}

/** Follows predictions' updates and sends the webhooks they asked for, in order, one at a time each. */
export class WebhookDispatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly aborts = new Set<AbortController>();
  private closed = false;

  constructor(private readonly o: WebhookDeliveryOptions) {}

  /**
   * Starts the webhooks of a prediction just created: `start` now, then whatever its updates bring.
   * `render` makes the body (the prediction JSON with this request's URLs).
   */
  watch(p: Prediction, url: string, events: readonly WebhookEvent[], render: (p: Prediction) => Promise<unknown>): void {
    const w: Watch = {
      url,
      events: new Set(events),
      render,
      lastOutput: JSON.stringify(p.output ?? null),
      lastLogs: (p.logs ?? '').length,
      lastSentAt: 0,
      latest: null,
      timer: null,
      chain: Promise.resolve(),
      done: false,
    };
    this.watches.set(p.id, w);
    if (w.events.has('start')) this.enqueue(w, p);
    this.update(p);
  }

  /** Every update of every prediction goes through here; the ones not watched are ignored. */
  update(p: Prediction): void {
    const w = this.watches.get(p.id);
    if (!w || w.done) return;
    if (isTerminal(p.status)) {
      w.done = true;
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      this.watches.delete(p.id);
      if (w.events.has('completed')) this.enqueue(w, p);
      return;
    }
    const output = JSON.stringify(p.output ?? null);
    const changed = (w.events.has('output') && output !== w.lastOutput) || (w.events.has('logs') && (p.logs ?? '').length > w.lastLogs);
    if (!changed) return;
    w.latest = p;
    if (w.timer) return; // the pending send takes the latest state
    const wait = Math.max(0, w.lastSentAt + (this.o.throttleMs ?? 500) - Date.now());
    w.timer = setTimeout(() => {
      w.timer = null;
      const latest = w.latest;
      w.latest = null;
      if (!latest || w.done) return;
      w.lastOutput = JSON.stringify(latest.output ?? null);
      w.lastLogs = (latest.logs ?? '').length;
      this.enqueue(w, latest);
    }, wait);
    w.timer.unref();
  }

  private enqueue(w: Watch, p: Prediction): void {
    w.lastSentAt = Date.now();
    w.chain = w.chain
      .then(async () => {
        if (this.closed) return;
        const body = JSON.stringify(await w.render(p));
        await this.deliver(w.url, body);
      })
      .catch(() => undefined);
  }

  /** One message, tried again after each delay while it fails; true once the receiver answered 2xx. */
  async deliver(url: string, body: string): Promise<boolean> {
    const id = `msg_${randomBytes(16).toString('hex')}`;
    const delays = this.o.retryDelaysMs ?? [1000, 5000, 15000];
    const doFetch = this.o.fetch ?? fetch;
    let reason = '';
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (this.closed) return false;
      if (attempt > 0) await this.sleep(delays[attempt - 1]);
      const timestamp = Math.floor(Date.now() / 1000);
      const abort = new AbortController();
      this.aborts.add(abort);
      const timer = setTimeout(() => abort.abort(), this.o.timeoutMs ?? 10_000);
      try {
        const res = await doFetch(url, {
          method: 'POST',
          redirect: 'manual', // Replicate does not follow redirects either
          signal: abort.signal,
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'cogdesk-webhooks',
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(this.o.secret, id, timestamp, body),
          },
          body,
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return true;
        reason = `answered ${res.status}`;
      } catch (e) {
        reason = (e as Error).message;
      } finally {
        clearTimeout(timer);
        this.aborts.delete(abort);
      }
    }
    this.o.onFailure?.(url, reason);
    return false;
  }

  close(): void {
    this.closed = true;
    for (const w of this.watches.values()) if (w.timer) clearTimeout(w.timer);
    this.watches.clear();
    for (const a of this.aborts) a.abort();
    for (const wake of this.sleepers) wake();
  }

  private readonly sleepers = new Set<() => void>();
  /** A wait that close() cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.sleepers.add(done);
    });
  }
}
