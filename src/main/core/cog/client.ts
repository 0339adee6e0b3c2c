import http from 'node:http';
import { CogdeskError, type FieldError } from '../../../shared/errors';
import type { CogHealth, CogPredictionRequest, CogPredictionResponse, CogValidationBody } from './protocol';

/** One keep-alive agent for every container: a warm prediction costs no TCP handshake. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

export class CogBusyError extends CogdeskError {
  constructor() {
    super({ code: 'container_failed', message: 'The model is already running a prediction', hint: 'Wait for it to finish.' });
  }
}

/** Raised when the connection to the container breaks (it died or was stopped). */
export class CogConnectionError extends CogdeskError {}

/** The model's server answered a prediction with an unexpected HTTP status (a 500 from a dying server, say). */
export class CogHttpError extends CogdeskError {
  constructor(readonly status: number, body: string) {
    super({ code: 'container_failed', message: `The model's server answered HTTP ${status}`, details: body.slice(0, 4000) });
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
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
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
          : new CogConnectionError(
              { code: 'container_failed', message: `Lost the connection to the model's container (${e.message})` },
              { cause: e },
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
  constructor(readonly baseUrl: string) {}

  async health(timeoutMs = 2000): Promise<CogHealth> {
    const raw = await request(this.baseUrl, 'GET', '/health-check', undefined, { timeoutMs });
    return parseJson<CogHealth>(raw, 'the health check');
  }

  /** A synchronous prediction: resolves with the final state (succeeded, failed or canceled). */
  async predict(body: CogPredictionRequest, signal?: AbortSignal): Promise<CogPredictionResponse> {
    const raw = await request(this.baseUrl, 'POST', '/predictions', body, { signal });
    return this.readPrediction(raw);
  }

  /** The idempotent create: for an id still running, answers its current state. */
  async put(id: string, body: CogPredictionRequest): Promise<CogPredictionResponse> {
    const raw = await request(this.baseUrl, 'PUT', `/predictions/${encodeURIComponent(id)}`, body, {
      headers: { prefer: 'respond-async' },
      timeoutMs: 10_000,
    });
    return this.readPrediction(raw);
  }

  /** Asks the container to cancel; false when it does not know the id (already finished). */
  async cancel(id: string): Promise<boolean> {
    const raw = await request(this.baseUrl, 'POST', `/predictions/${encodeURIComponent(id)}/cancel`, undefined, {
      timeoutMs: 10_000,
    });
    return raw.status === 200;
  }

  async openapi(): Promise<Record<string, unknown>> {
    return parseJson(await request(this.baseUrl, 'GET', '/openapi.json', undefined, { timeoutMs: 10_000 }), 'the schema');
  }

  private readPrediction(raw: RawResponse): CogPredictionResponse {
    if (raw.status === 200 || raw.status === 202) return parseJson<CogPredictionResponse>(raw, 'the prediction');
    if (raw.status === 409) throw new CogBusyError();
    if (raw.status === 422) {
      const fields = fieldErrorsFrom422(parseJson<CogValidationBody>(raw, 'the input check'));
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
