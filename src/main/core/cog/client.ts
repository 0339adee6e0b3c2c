import http from 'node:http';
import { CogdeskError, type FieldError } from '../../../shared/errors';
import type { CogHealth, CogPredictionRequest, CogPredictionResponse, CogValidationBody } from './protocol';
import { serverFromHealth, type CogServer } from './server-kind';
import { awaitTerminalWebhook } from './webhooks';

/**
 * How long a health check may take. coglet runs the model's own health check once READY, which may take up
 * to 10 s (reference/cog-generations.md): never take a slow answer for a dead server.
 */
export const HEALTH_TIMEOUT_MS = 12_000;
/** While a prediction sent async runs (its result comes by webhook), how often the server is asked whether it lives. */
const WATCH_EVERY_MS = 2_000;
/** How long a crashed worker's own "failed" webhook is waited for before saying so without it. */
const CRASH_GRACE_MS = 3_000;

const delay = (ms: number) => new Promise<null>((r) => setTimeout(() => r(null), ms));
/** A prediction state (a terminal webhook), not a health answer. */
const isPrediction = (x: CogPredictionResponse | CogHealth): x is CogPredictionResponse =>
  ['starting', 'processing', 'succeeded', 'failed', 'canceled'].includes(x.status);

/** One keep-alive agent for every container: a warm prediction costs no TCP handshake. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

/** All the server's prediction slots are busy (409 `Already running a prediction`, coglet's `At capacity`): try again. */
export class CogBusyError extends CogdeskError {
  constructor(what = 'The model is already running a prediction') {
    super({ code: 'container_failed', message: what, hint: 'Wait for it to finish.' });
  }
}

/** coglet's 503 `Setup has not finished yet` (it also comes a moment after READY): not ready, so try again like a busy one. */
export class CogNotReadyError extends CogBusyError {
  constructor(what: string) {
    super(`The model's server is not ready yet (${what})`);
  }
}

/** Raised when the connection to the container breaks (it died or was stopped). */
export class CogConnectionError extends CogdeskError {
  /** No connection was made (refused, unreachable): the request never reached the server, so nothing ran. */
  notSent = false;
}

/** Connect errors: the request was never written, whatever it was. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** A health check that failed after the prediction was taken (202): the prediction itself was sent. */
function sentAlready(e: unknown): never {
  if (e instanceof CogConnectionError) e.notSent = false;
  throw e;
}

/** The model's server answered a prediction with an unexpected HTTP status (a 500 from a dying server, say). */
export class CogHttpError extends CogdeskError {
  constructor(readonly status: number, body: string) {
    const said = errorText({ body });
    super({
      code: 'container_failed',
      message: `The model's server answered HTTP ${status}${said && said.length <= 300 ? ` (${said})` : ''}`,
      details: body.slice(0, 4000),
    });
  }
}

function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  options: { signal?: AbortSignal; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        signal: options.signal,
        timeout: options.timeoutMs,
        headers: {
          // Exactly this: the Go runtime answers 415 to anything else, and coglet reads no body without it.
          ...(payload || method !== 'GET' ? { 'content-type': 'application/json', 'content-length': String(payload?.length ?? 0) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.origin} within ${options.timeoutMs} ms`)));
    req.on('error', (e) =>
      reject(
        e.name === 'AbortError'
          ? e
          : Object.assign(
              new CogConnectionError({ code: 'container_failed', message: `Lost the connection to the model's container (${e.message})` }, { cause: e }),
              { notSent: NOT_SENT.has((e as NodeJS.ErrnoException).code ?? '') },
            ),
      ),
    );
    req.end(payload);
  });
}

function parseJson<T>(raw: RawResponse, what: string): T {
  try {
    return JSON.parse(raw.body) as T;
  } catch {
    throw new CogdeskError({
      code: 'container_failed',
      message: `The container answered ${what} with something that is not JSON (HTTP ${raw.status})`,
      details: raw.body.slice(0, 2000),
    });
  }
}

/**
 * What an error answer says: pydantic's `detail`, coglet's `error`, or the Go runtime's plain text (and
 * nothing for coglet's empty 404).
 */
export function errorText(raw: Pick<RawResponse, 'body'>): string {
  const text = raw.body.trim();
  try {
    const body = JSON.parse(text) as { detail?: unknown; error?: unknown };
    if (typeof body?.error === 'string') return body.error;
    if (typeof body?.detail === 'string') return body.detail;
  } catch {
    // plain text (the Go runtime's http.Error)
  }
  return text.slice(0, 2000);
}

/** Turns pydantic's 422 detail into Cogdesk's field errors. */
export function fieldErrorsFrom422(body: CogValidationBody): FieldError[] {
  if (!Array.isArray(body.detail)) return [{ field: '', code: 'invalid', message: String(body.detail) }];
  return body.detail.map((d) => {
    const field = String(d.loc[d.loc.length - 1] ?? '');
    const code: FieldError['code'] = d.type.includes('missing')
      ? 'required'
      : d.type.includes('not_le') || d.type.includes('not_ge') || d.type.includes('not_lt') || d.type.includes('not_gt')
        ? 'range'
        : d.type.includes('enum') || d.type.includes('literal')
          ? 'choices'
          : 'type';
    return { field, code, message: `${field}: ${d.msg}` };
  });
}

/** A client for one running Cog container's HTTP server. */
export class CogClient {
  /**
   * Which server answers (from its health check; null until one was read). Predictions that name a webhook go
   * async to the newer servers, their result by the terminal webhook: the Go runtime takes a webhook only with
   * `Prefer: respond-async`, and coglet cancels a sync prediction whose connection drops (a Cogdesk that
   * crashes would lose it, where re-attaching after the restart can take it back).
   */
  server: CogServer | null = null;

  constructor(readonly baseUrl: string) {}

  async health(timeoutMs = HEALTH_TIMEOUT_MS): Promise<CogHealth> {
    // Read whatever the status (coglet answers 503 while it starts), plain-text Content-Type included (the Go runtime).
    const raw = await request(this.baseUrl, 'GET', '/health-check', undefined, { timeoutMs });
    const health = parseJson<CogHealth>(raw, 'the health check');
    this.server = serverFromHealth(health) ?? this.server;
    return health;
  }

  /**
   * A prediction; resolves with the final state (succeeded, failed or canceled). Sync, except on coglet and
   * the Go runtime with a webhook: sent async there, and its terminal webhook is the answer. Never sends the same
   * prediction twice: the Go runtime's PUT is not idempotent, and a repeated POST would run it again.
   */
  async predict(body: CogPredictionRequest, signal?: AbortSignal): Promise<CogPredictionResponse> {
    // A container adopted from an earlier Cogdesk: ask once which server it is.
    if (this.server === null && body.webhook) await this.health().catch(() => null);
    if ((this.server === 'go' || this.server === 'coglet') && body.webhook) return this.predictByWebhook(body, signal);
    const raw = await request(this.baseUrl, 'POST', '/predictions', body, { signal });
    if (raw.status === 400 && /respond-async and webhook mismatch/i.test(raw.body) && body.webhook) {
      // The Go runtime, found out from its answer (a container adopted without a health check): it ran nothing.
      this.server = 'go';
      return this.predictByWebhook(body, signal);
    }
    return this.readPrediction(raw);
  }

  /** Asks the container to cancel; false when it does not know the id (already finished). */
  async cancel(id: string): Promise<boolean> {
    const raw = await request(this.baseUrl, 'POST', `/predictions/${encodeURIComponent(id)}/cancel`, undefined, {
      timeoutMs: 10_000,
    });
    return raw.status === 200;
  }

  /** 202 at once, the result by the `completed` webhook (which coglet sends, like every event, on its own); the server is watched meanwhile. */
  private async predictByWebhook(body: CogPredictionRequest, signal?: AbortSignal): Promise<CogPredictionResponse> {
    if (!body.id) throw new Error('a prediction sent async needs an id');
    const events = body.webhook_events_filter;
    const sent = events && !events.includes('completed') ? { ...body, webhook_events_filter: [...events, 'completed' as const] } : body;
    const waiter = awaitTerminalWebhook(body.id);
    try {
      const raw = await request(this.baseUrl, 'POST', '/predictions', sent, { signal, headers: { prefer: 'respond-async' } });
      if (raw.status !== 202) return this.readPrediction(raw);
      for (let crashedAt = 0; ; ) {
        const state = await Promise.race([waiter.state, delay(WATCH_EVERY_MS)]);
        if (state) return state;
        if (signal?.aborted) throw Object.assign(new Error('The prediction was aborted'), { name: 'AbortError' });
        // No result yet: a server that stopped answering (or whose worker died) never sends one. The check may
        // take seconds (coglet's runs the model's own): the result, if it comes meanwhile, is not kept waiting.
        const checked = await Promise.race([waiter.state, this.health().catch(sentAlready)]);
        if (isPrediction(checked)) return checked;
        const health = checked as CogHealth;
        if (health.status !== 'DEFUNCT' && health.status !== 'UNHEALTHY') continue;
        // Its worker died: what was in flight fails with "Worker crashed" by webhook; say so if that never comes.
        crashedAt ||= Date.now();
        if (Date.now() - crashedAt >= CRASH_GRACE_MS) {
          return { id: body.id, status: 'failed', error: `Worker crashed (its server reports ${health.status})`, logs: '' };
        }
      }
    } finally {
      waiter.cancel();
    }
  }

  private readPrediction(raw: RawResponse): CogPredictionResponse {
    if (raw.status === 200 || raw.status === 202) return parseJson<CogPredictionResponse>(raw, 'the prediction');
    const said = errorText(raw);
    if (raw.status === 409 && !/prediction exists/i.test(said)) throw new CogBusyError(said ? `The model is busy (${said})` : undefined);
    if (raw.status === 503 && !/defunct|shutting down|setup failed/i.test(said)) throw new CogNotReadyError(said || 'HTTP 503');
    if (raw.status === 422) {
      const fields = /^\s*[{[]/.test(raw.body)
        ? fieldErrorsFrom422(parseJson<CogValidationBody>(raw, 'the input check'))
        : [{ field: '', code: 'invalid' as const, message: said }];
      throw new CogdeskError({
        code: 'input_invalid',
        message: `The model refused the input: ${fields.map((f) => f.message).join('; ')}`,
        hint: 'Fix the fields named above and run it again.',
        fields,
      });
    }
    // Why (setup failed, the container stopped, Docker restarted) is for the caller to find out.
    throw new CogHttpError(raw.status, raw.body);
  }
}
