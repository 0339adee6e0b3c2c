/**
 * Where Replicate's API is: COGDESK_REPLICATE_API, else the setting, else Replicate's own; and the rule
 * that a token only travels over https, or to this machine.
 */
import { RemoteError } from './remote-error';

export const DEFAULT_API_URL = 'https://api.replicate.com/v1';
export const API_URL_ENV = 'COGDESK_REPLICATE_API';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The API's base URL: COGDESK_REPLICATE_API, else the setting, else https://api.replicate.com/v1.
 * Plain http is refused unless the host is this machine (a token must never cross a network in clear).
 */
export function resolveApiUrl(o: { env?: NodeJS.ProcessEnv; setting?: string | null } = {}): string {
  const env = o.env ?? process.env;
  const raw = (env[API_URL_ENV] || o.setting || DEFAULT_API_URL).trim();
  const from = env[API_URL_ENV] ? API_URL_ENV : o.setting ? 'the Replicate API setting' : 'the default';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RemoteError('refused', {
      message: `"${raw}" (${from}) is not a URL`,
      hint: `Set it to Replicate's API, ${DEFAULT_API_URL}, or unset ${API_URL_ENV}.`,
    });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new RemoteError('refused', {
      message: `The Replicate API URL ${raw} (${from}) is not https: the API token would travel in clear`,
      hint: `Use an https:// URL (Replicate's is ${DEFAULT_API_URL}); plain http is only allowed on this machine (127.0.0.1).`,
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new RemoteError('refused', {
      message: `The Replicate API URL (${from}) must be a plain base URL like ${DEFAULT_API_URL}`,
      hint: 'Leave out user names, passwords, ?queries and #fragments.',
    });
  }
  return url.href.replace(/\/+$/, '');
}
