/**
 * The Replicate API token. The engine only ever asks a TokenStore for it: the headless CLI reads
 * REPLICATE_API_TOKEN or a file only its owner can read; the Electron shell implements the same interface
 * with safeStorage. The token is never logged, never put in an error, and never written to the database.
 */
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CogdeskError } from '../../../shared/errors';
import type { TokenStatus } from '../../../shared/catalog';

export const TOKEN_PAGE = 'https://replicate.com/account/api-tokens';
export const TOKEN_ENV = 'REPLICATE_API_TOKEN';
export const TOKEN_FILE_NAME = 'replicate-token';

export interface TokenStore {
  /** The token, or null when there is none. */
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
  /** Where the token is (or would be) kept, for messages; never the token. */
  describe(): Promise<TokenStatus>;
}

/** What a token must look like to be sent at all (no spaces or control characters: it goes in a header). */
export function checkTokenShape(token: string): string {
  const t = token.trim();
  if (!t || !/^[\x21-\x7e]+$/.test(t) || t.length > 512) {
    throw new CogdeskError({
      code: 'bad_request',
      message: 'That is not a Replicate API token (it must be one word of printable characters, like r8_…)',
      hint: `Copy a token from ${TOKEN_PAGE}`,
    });
  }
  return t;
}

/** The token file at `<home>/replicate-token`: must be readable by its owner only. */
export class FileTokenStore implements TokenStore {
  constructor(
    readonly path: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  async get(): Promise<string | null> {
    let mode: number;
    try {
      mode = statSync(this.path).mode;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw unreadable(this.path, e);
    }
    if (this.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new CogdeskError({
        code: 'bad_request',
        message: `The token file ${this.path} can be read by other users (mode ${(mode & 0o777).toString(8).padStart(3, '0')}), so Cogdesk will not use it`,
        hint: `Make it private with \`chmod 600 ${this.path}\`, and replace the token at ${TOKEN_PAGE} if others may have read it.`,
      });
    }
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      throw unreadable(this.path, e);
    }
    const token = text.trim();
    return token ? token : null;
  }

  async set(token: string): Promise<void> {
    const t = checkTokenShape(token);
    // Written beside the target with mode 0600 from the start, then renamed over it: never readable by others.
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${t}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.platform !== 'win32') chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  async clear(): Promise<void> {
    try {
      unlinkSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }

  async describe(): Promise<TokenStatus> {
    try {
      statSync(this.path);
      return { present: true, source: this.path };
    } catch {
      return { present: false, source: this.path };
    }
  }
}

/** REPLICATE_API_TOKEN: read-only (a process cannot change its parent's environment). */
export class EnvTokenStore implements TokenStore {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(): Promise<string | null> {
    const t = this.env[TOKEN_ENV]?.trim();
    return t ? t : null;
  }

  async set(): Promise<void> {
    throw readOnlyEnv();
  }

  async clear(): Promise<void> {
    throw readOnlyEnv();
  }

  async describe(): Promise<TokenStatus> {
    return { present: !!(await this.get()), source: TOKEN_ENV };
  }
}

/**
 * The headless CLI's token: REPLICATE_API_TOKEN when set (it wins), else `<home>/replicate-token`.
 * `set` and `clear` act on the file.
 */
export function cliTokenStore(options: { home: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }): TokenStore {
  const fromEnv = new EnvTokenStore(options.env ?? process.env);
  const file = new FileTokenStore(join(options.home, TOKEN_FILE_NAME), options.platform);
  return {
    async get() {
      return (await fromEnv.get()) ?? file.get();
    },
    set: (token) => file.set(token),
    clear: () => file.clear(),
    async describe() {
      const env = await fromEnv.describe();
      return env.present ? env : file.describe();
    },
  };
}

/** A token held in memory (tests, or a shell that keeps it elsewhere). */
export function memoryTokenStore(initial: string | null = null): TokenStore {
  let token = initial;
  return {
    get: async () => token,
    set: async (t) => {
      token = checkTokenShape(t);
    },
    clear: async () => {
      token = null;
    },
    describe: async () => ({ present: token !== null, source: 'memory' }),
  };
}

function unreadable(path: string, e: unknown): CogdeskError {
  return new CogdeskError({
    code: 'bad_request',
    message: `Cannot read the token file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    hint: `Check the file's owner and permissions (it must be yours, mode 600), or set ${TOKEN_ENV} instead.`,
  });
}

function readOnlyEnv(): CogdeskError {
  return new CogdeskError({
    code: 'bad_request',
    message: `The token comes from ${TOKEN_ENV}, which Cogdesk cannot change`,
    hint: `Change or unset ${TOKEN_ENV} in your shell.`,
  });
}
