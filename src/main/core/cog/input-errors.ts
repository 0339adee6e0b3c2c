/**
 * Cog downloads an input given as an http(s) URL inside the container. When that fails the prediction
 * fails with Python's words (`<urlopen error [Errno 111] Connection refused>`, or requests'
 * `HTTPConnectionPool(host=..., port=...): Max retries exceeded ... [Errno 111] Connection refused`).
 * This turns such an error into what happened, which input and URL, and what to check. Pure.
 */

interface UrlInput {
  field: string;
  url: string;
}

/** Python's download failures, what they mean, most specific first. */
const REASONS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/Connection refused|ECONNREFUSED|\[Errno 111\]/i, () => 'connection refused'],
  [/Name or service not known|nodename nor servname|Temporary failure in name resolution|No address associated with hostname|Failed to resolve|getaddrinfo failed|\[Errno -[235]\]/i, () => 'the host name could not be resolved'],
  [/No route to host|\[Errno 113\]/i, () => 'no route to the host'],
  [/Network is unreachable|\[Errno 101\]/i, () => 'the network is unreachable'],
  [/Connection reset|\[Errno 104\]|RemoteDisconnected|closed connection without response/i, () => 'the connection was reset'],
  [/timed out|Timeout/i, () => 'the connection timed out'],
  [/CERTIFICATE_VERIFY_FAILED|certificate verify failed|SSLError|SSL:/i, () => "its TLS certificate could not be verified"],
  [/HTTP Error (\d{3}): ?([^>\n]*)/, (m) => `the server answered ${m[1]}${m[2].trim() ? ` ${m[2].trim()}` : ''}`],
  [/(\d{3}) (?:Client|Server) Error: ?(.*?) for url/, (m) => `the server answered ${m[1]}${m[2].trim() ? ` ${m[2].trim()}` : ''}`],
];

/** Text that only a failed download of an input (urllib or requests) produces. */
const DOWNLOAD_SIGNS = /urlopen error|HTTPS?ConnectionPool\(|Max retries exceeded|HTTP Error \d{3}|\d{3} (?:Client|Server) Error:|NewConnectionError|ConnectionError|NameResolutionError|ConnectTimeout|ReadTimeout|RemoteDisconnected/;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;

/** The http(s) URLs of an input: top-level strings and list items, with the field each came from. */
function urlInputs(input: Record<string, unknown>): UrlInput[] {
  const found: UrlInput[] = [];
  const add = (field: string, v: unknown) => {
    if (typeof v === 'string' && /^https?:\/\//i.test(v)) found.push({ field, url: v });
  };
  for (const [field, value] of Object.entries(input ?? {})) {
    if (Array.isArray(value)) value.forEach((v) => add(field, v));
    else add(field, value);
  }
  return found;
}

/** Whether the error names this URL: whole, or as requests does (host=..., port=..., url: /path). */
function mentions(error: string, url: string): boolean {
  if (error.includes(url)) return true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  const path = parsed.pathname + parsed.search;
  return error.includes(`host='${host}'`) && error.includes(`port=${port}`) && error.includes(`url: ${path}`);
}

/**
 * A clear message for a prediction that failed because the model could not download one of its input
 * URLs, or null when `error` is not such a failure. For example: "The model could not download image from
 * http://127.0.0.1:9/x.png: connection refused. Check that the URL is reachable from a container (...)".
 */
export function explainInputDownloadError(error: string | null | undefined, input: Record<string, unknown>): string | null {
  if (!error || !DOWNLOAD_SIGNS.test(error)) return null;
  const urls = urlInputs(input);
  if (urls.length === 0) return null;
  const reasonRule = REASONS.map(([re, say]) => ({ m: re.exec(error), say })).find((r) => r.m);
  const reason = reasonRule ? reasonRule.say(reasonRule.m!) : 'the download failed';
  const named = urls.filter((u) => mentions(error, u.url));
  // An error that names some other host or URL is about something else the model fetched.
  if (named.length === 0 && /host='[^']*'|https?:\/\/\S/.test(error)) return null;
  const which = named.length > 0 ? named : urls;
  const what =
    which.length === 1
      ? `${which[0].field} from ${which[0].url}`
      : `one of its input files (${which.map((u) => `${u.field} from ${u.url}`).join(', or ')})`;
  const loopback = which.some((u) => {
    try {
      return LOOPBACK.test(new URL(u.url).hostname);
    } catch {
      return false;
    }
  });
  const check = loopback
    ? 'Check that the URL is reachable from a container: inside the container 127.0.0.1 and localhost are the container itself, not this machine'
    : 'Check that the URL is reachable from a container';
  return `The model could not download ${what}: ${reason}. ${check}.`;
}
