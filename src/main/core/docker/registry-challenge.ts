/**
 * A registry's `WWW-Authenticate` challenge, read the way Docker reads it: which scheme (Bearer with a token
 * realm, or Basic) and its parameters.
 */

export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header: `Bearer realm="https://auth.example/token",service="x",scope="repository:a/b:pull"`
 * or `Basic realm="Registry Realm"`. Several challenges may be given, comma separated; quoted values may
 * hold commas and escaped quotes.
 */
export function parseChallenge(header: string | null | undefined): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  if (!header) return out;
  const s = header;
  let i = 0;
  const skipSpace = () => {
    while (i < s.length && /[\s,]/.test(s[i]!)) i++;
  };
  const token = () => {
    const start = i;
    while (i < s.length && /[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  let current: AuthChallenge | null = null;
  while (i < s.length) {
    skipSpace();
    const word = token();
    if (!word) {
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] === ' ') j++;
    if (s[j] === '=' && current) {
      i = j + 1;
      while (i < s.length && s[i] === ' ') i++;
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        i++;
      } else {
        const start = i;
        while (i < s.length && s[i] !== ',' && s[i] !== ' ') i++;
        value = s.slice(start, i);
      }
      current.params[word.toLowerCase()] = value;
    } else {
      current = { scheme: word.toLowerCase(), params: {} };
      out.push(current);
      // token68 (e.g. `Negotiate abc==`) is not used by registries: skipped by the loop.
    }
  }
  return out;
}

/** The Basic `authorization` header for a user name and password. */
export function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
