/**
 * A token Cogdesk keeps is for the API it was entered for. The stores (the CLI's file, the app's
 * safeStorage) hold one string, so it is kept as `<origin>#<token>` (an origin has no `#`; the token is
 * checked to be one printable word): changing the API base URL (the setting, COGDESK_REPLICATE_API) never
 * sends the token to the new host, and the status says to enter it again there. A value kept before
 * origins were (a bare token) is for Replicate's own API. REPLICATE_API_TOKEN, and a token a program hands
 * over in memory, are the user's explicit choice for whatever base URL is set, and go there.
 */
import type { TokenStatus } from '../../../shared/catalog';
import { DEFAULT_API_URL } from './api-url';
import { RemoteError } from './remote-error';
import { checkTokenShape, TOKEN_ENV, TOKEN_PAGE, type TokenStore } from './token';

/** The status, with a sentence when a kept token is not for the API in use. */
export type BoundTokenStatus = TokenStatus & { note?: string };

export interface OriginBoundTokens extends TokenStore {
  /** The token for the API in use, or null; never a token entered for another origin. */
  get(): Promise<string | null>;
  /** As get(), but a token kept for another origin is an error that says so (for the API client). */
  forRequest(): Promise<string | null>;
  describe(): Promise<BoundTokenStatus>;
}

const BOUND = /^(https?:\/\/[^/#\s]+)#(.+)$/;
/** Sources whose token goes to whatever base URL is set. */
const UNBOUND_SOURCES = new Set([TOKEN_ENV, 'memory']);

function originOf(url: string): string {
  return new URL(url).origin;
}
function hostOf(origin: string): string {
  return new URL(origin).host;
}

/** `<origin>#<token>` as kept; a bare token (kept before origins were) is Replicate's API's. */
export function splitKept(raw: string): { origin: string; token: string } {
  const m = BOUND.exec(raw);
  return m ? { origin: m[1], token: m[2] } : { origin: originOf(DEFAULT_API_URL), token: raw };
}

export function originBoundTokens(inner: TokenStore, apiUrl: () => string): OriginBoundTokens {
  /** The token and whether it may go to the API in use; null when there is none. */
  const lookup = async (): Promise<{ token: string; wrongFor?: { kept: string; now: string } } | null> => {
    const raw = await inner.get();
    if (!raw) return null;
    const status = await inner.describe();
    if (status.source && UNBOUND_SOURCES.has(status.source) && !BOUND.test(raw)) return { token: raw };
    const kept = splitKept(raw);
    let now: string;
    try {
      now = originOf(apiUrl());
    } catch {
      // No usable API URL: nothing is sent anywhere, and the URL's own error says why.
      return { token: kept.token };
    }
    return kept.origin === now ? { token: kept.token } : { token: kept.token, wrongFor: { kept: hostOf(kept.origin), now: hostOf(now) } };
  };

  const enterAgain = (w: { kept: string; now: string }) => `The token was entered for ${w.kept}; enter it again for ${w.now}.`;

  return {
    async get() {
      const found = await lookup();
      return found && !found.wrongFor ? found.token : null;
    },
    async forRequest() {
      const found = await lookup();
      if (!found) return null;
      if (found.wrongFor) {
        throw new RemoteError('unauthorized', {
          message: `The Replicate API token was entered for ${found.wrongFor.kept}, and the API is now ${found.wrongFor.now}: Cogdesk does not send it to another host`,
          hint: `Enter the token again for ${found.wrongFor.now} (\`cogdesk login\`, or Settings in the app), or set the API URL back. Tokens: ${TOKEN_PAGE}`,
        });
      }
      return found.token;
    },
    async set(token) {
      await inner.set(`${originOf(apiUrl())}#${checkTokenShape(token)}`);
    },
    clear: () => inner.clear(),
    async describe() {
      const status = await inner.describe();
      if (!status.present) return status;
      let found: Awaited<ReturnType<typeof lookup>>;
      try {
        found = await lookup();
      } catch {
        return status; // an unreadable store: using it says why
      }
      if (!found?.wrongFor) return status;
      return { present: false, source: status.source, note: enterAgain(found.wrongFor) };
    },
  };
}
