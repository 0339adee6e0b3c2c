/** The Replicate API token in the app: encrypted with Electron's safeStorage, in `<home>/replicate-token.enc`. */
import { safeStorage } from 'electron';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkTokenShape, type TokenStore } from './core/remote';

export function safeStorageTokenStore(home: string, o: { file?: string; envVar?: string | null } = {}): TokenStore {
  const file = join(home, o.file ?? 'replicate-token.enc');
  const envVar = o.envVar === undefined ? 'REPLICATE_API_TOKEN' : o.envVar;
  const env = () => (envVar ? process.env[envVar]?.trim() || null : null);
  return {
    async get() {
      if (env()) return env();
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch {
        return null;
      }
      return safeStorage.decryptString(data).trim() || null;
    },
    async set(token) {
      const t = checkTokenShape(token);
      if (!safeStorage.isEncryptionAvailable()) throw new Error('This system has no secret store for the token (safeStorage)');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, safeStorage.encryptString(t), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
    async clear() {
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    },
    async describe() {
      if (env()) return { present: true, source: envVar };
      try {
        readFileSync(file);
        return { present: true, source: 'safeStorage' };
      } catch {
        return { present: false, source: 'safeStorage' };
      }
    },
  };
}
