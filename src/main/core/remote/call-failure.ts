/**
 * A failed call to Replicate's API as a RemoteError: what failed, why, what to do; never the token, never
 * the request.
 */
import { API_URL_ENV, DEFAULT_API_URL } from './api-url';
import { networkCode, retryDelay, type CallState } from './guarded-fetch';
import { RemoteError } from './remote-error';
import { TOKEN_ENV, TOKEN_PAGE } from './token';

/** What a call is for, in words ("search models", "get the model fixtures/echo"). */
export interface CallContext {
  doing: string;
  /** What a 404 means for this call ("No model fixtures/nope on Replicate"). */
  notFound?: string;
}

/** The `detail` (and `title`) of a problem+json body, else a short piece of the text. */
function problemDetail(body: string | undefined): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const detail = typeof parsed.detail === 'string' ? parsed.detail : null;
    const title = typeof parsed.title === 'string' ? parsed.title : null;
    if (detail || title) return [title, detail].filter(Boolean).join(': ');
  } catch {
    // not JSON
  }
  const text = body.trim().replace(/\s+/g, ' ');
  return text ? text.slice(0, 200) : null;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
};

export function toRemoteError(
  e: unknown,
  ctx: CallContext & { baseUrl: string; hadToken: boolean; state?: CallState },
): RemoteError {
  if (e instanceof RemoteError) return e;
  const apiError = e as { name?: string; response?: Response };
  const last = ctx.state?.last;
  if (apiError?.name === 'ApiError' && apiError.response) {
    const status = apiError.response.status;
    const detail = problemDetail(last?.body);
    const said = detail ? ` (${status}: ${detail})` : ` (${status})`;
    const where = last ? `${last.method} ${last.url} -> ${status}` : `${status}`;
    if (status === 401) {
      return new RemoteError('unauthorized', {
        status,
        message: ctx.hadToken
          ? `Replicate refused the API token${said}`
          : `Replicate needs an API token to ${ctx.doing}, and none is set${said}`,
        hint: `Create a token at ${TOKEN_PAGE}, then run \`cogdesk login\` (or set ${TOKEN_ENV}).`,
        details: where,
      });
    }
    if (status === 403) {
      return new RemoteError('forbidden', {
        status,
        message: `Replicate does not allow this token to ${ctx.doing}${said}`,
        hint: `Check which account the token belongs to (\`cogdesk account\`), or use a token from ${TOKEN_PAGE} with access.`,
        details: where,
      });
    }
    if (status === 404) {
      return new RemoteError('not_found', {
        status,
        message: ctx.notFound ?? `Replicate has nothing at ${last?.url ?? 'that address'}${said}`,
        hint: 'Check the spelling (owner/name); find models with `cogdesk search WORDS`.',
        details: where,
      });
    }
    if (status === 429) {
      const retryAfterHeader = apiError.response.headers.get('retry-after');
      const retryAfter = retryAfterHeader ? Math.ceil(retryDelay(retryAfterHeader, 0) / 1000) : undefined;
      const waited = ctx.state?.waitedMs ? `; Cogdesk waited ${Math.round(ctx.state.waitedMs / 1000)} s and retried, then gave up` : '';
      return new RemoteError('throttled', {
        status,
        retryAfter,
        message: `Replicate is limiting requests${said}${waited}`,
        hint: `Wait ${retryAfter !== undefined ? `about ${retryAfter} s` : 'a minute'} and try again.`,
        details: where,
      });
    }
    if (status >= 500) {
      return new RemoteError('server', {
        status,
        message: `Replicate's API failed to ${ctx.doing}${said}`,
        hint: 'This is on Replicate\'s side: try again in a few minutes (status: https://replicatestatus.com).',
        details: where,
      });
    }
    return new RemoteError('bad_request', {
      status,
      message: `Replicate refused to ${ctx.doing}${said}`,
      hint: 'Check what you asked for and try again.',
      details: where,
    });
  }
  if (e instanceof SyntaxError) {
    return new RemoteError('bad_response', {
      message: `Replicate's API answered something that is not JSON while trying to ${ctx.doing}`,
      hint: `Check that ${ctx.baseUrl} is Replicate's API (${API_URL_ENV}), then try again.`,
      details: e.message,
    });
  }
  const code = networkCode(e);
  const words = NETWORK_WORDS[code] ? `${NETWORK_WORDS[code]}, ${code}` : code;
  return new RemoteError('network', {
    message: `Cannot reach Replicate's API at ${ctx.baseUrl} to ${ctx.doing} (${words})`,
    hint: `Check the network connection${ctx.baseUrl === DEFAULT_API_URL ? '' : ` and ${API_URL_ENV}`}, then try again.`,
  });
}
