/**
 * Calls to a running Cogdesk's local API (the app or `cogdesk serve`, found by server-record.ts) with its
 * token: what `run`, `pull`, `ps` and `stop` send there. A refusal comes back as the CogdeskError it was
 * there (its message and hint, its kind by the HTTP status), so the command says it as it would itself.
 */
import type { PullProgress } from '../../shared/domain';
import { CogdeskError, type ErrorCode, type ErrorInfo } from '../../shared/errors';
import type { RunningServer } from '../core/api-server/server-record';

const CODES: Record<number, ErrorCode> = { 400: 'bad_request', 404: 'not_found', 409: 'canceled', 422: 'input_invalid', 503: 'docker_unavailable', 504: 'timeout', 507: 'disk_full' };

const gone = (server: RunningServer, e: unknown) =>
  new CogdeskError({
    code: 'internal',
    message: `The running Cogdesk at ${server.url} (pid ${server.pid}) stopped answering: ${(e as Error).message}`,
    hint: 'Run the command again: with no Cogdesk running, it does the work itself.',
  });

/** The problem+json of a refusal, as the error it was. */
function refusal(status: number, text: string): CogdeskError {
  let p: { title?: string; detail?: string; hint?: string } = {};
  try {
    p = JSON.parse(text) as typeof p;
  } catch {
    p = { detail: text };
  }
  // The API puts the hint at the end of the detail for clients that show one line; the CLI shows it apart.
  const detail = p.detail ?? p.title ?? `HTTP ${status}`;
  const message = p.hint && detail.endsWith(p.hint) ? detail.slice(0, -p.hint.length).replace(/[.\s]+$/, '') : detail;
  return new CogdeskError({
    code: CODES[status] ?? 'internal',
    message,
    hint: p.hint ?? 'Its log (the app, or the terminal running cogdesk serve) says more.',
  });
}

async function send(server: RunningServer, method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(`${server.url}${path}`, {
      method,
      signal,
      headers: { authorization: `Bearer ${server.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw gone(server, e);
  }
}

/** One JSON call; a refusal throws what it said. */
export async function callServer<T>(server: RunningServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(server, method, path, body);
  const text = await res.text();
  if (!res.ok) throw refusal(res.status, text);
  return JSON.parse(text) as T;
}

type PullLine = { status: 'pulling'; progress: PullProgress } | { status: 'succeeded'; version: string } | { status: 'failed' | 'canceled'; error: ErrorInfo };

/**
 * Pulls `image` in the running Cogdesk (`always`: again, as `docker pull` does; else only when it is not
 * here), telling `onProgress` as it goes; resolves to the version id. Aborting `signal` (Ctrl-C) closes the
 * connection, which cancels the pull there.
 */
export async function pullInServer(
  server: RunningServer,
  image: string,
  o: { always?: boolean; onProgress?: (p: PullProgress) => void; signal?: AbortSignal } = {},
): Promise<string> {
  const res = await send(server, 'POST', '/cogdesk/pulls', { image, always: o.always === true }, o.signal);
  if (!res.ok) throw refusal(res.status, await res.text());
  if (!res.body) throw gone(server, new Error('no answer'));
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const l = JSON.parse(buffered.slice(0, nl)) as PullLine;
        buffered = buffered.slice(nl + 1);
        if (l.status === 'pulling') o.onProgress?.(l.progress);
        else if (l.status === 'succeeded') return l.version;
        else throw new CogdeskError(l.error);
      }
    }
  } catch (e) {
    if (e instanceof CogdeskError || o.signal?.aborted) throw e;
    throw gone(server, e);
  }
  throw gone(server, new Error('the pull ended without a result'));
}
