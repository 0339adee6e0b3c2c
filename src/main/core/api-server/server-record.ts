/**
 * How a running Cogdesk (the app or `cogdesk serve`) says that it runs, so that the CLI's commands go through
 * it and models stay warm between commands: `<data folder>/server.json` holds its pid, port and URL while it
 * listens (owner-only; the token stays in `api-token`, as before). A record whose process is gone, or whose
 * server does not answer with the token, is stale: the CLI then works on its own.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../util/process';

export const SERVER_RECORD = 'server.json';
const TOKEN_FILE = 'api-token';

export interface ServerRecord {
  pid: number;
  port: number;
  /** `http://127.0.0.1:PORT/v1` */
  url: string;
  startedAt: string;
  /** 'serve' or 'app' */
  by: string;
}

export interface RunningServer extends ServerRecord {
  token: string;
}

export function writeServerRecord(home: string, r: ServerRecord): void {
  writeFileSync(join(home, SERVER_RECORD), JSON.stringify(r) + '\n', { mode: 0o600 });
}

/** Removes the record, when it is still this process's. */
export function clearServerRecord(home: string, pid = process.pid): void {
  const r = readRecord(home);
  if (r && r.pid === pid) rmSync(join(home, SERVER_RECORD), { force: true });
}

function readRecord(home: string): ServerRecord | null {
  try {
    const r = JSON.parse(readFileSync(join(home, SERVER_RECORD), 'utf8')) as ServerRecord;
    return typeof r.pid === 'number' && typeof r.url === 'string' && /^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(r.url) ? r : null;
  } catch {
    return null;
  }
}


/** The Cogdesk serving this data folder, checked (its process lives, it answers with the token); else null. */
export async function findRunningServer(home: string): Promise<RunningServer | null> {
  const r = readRecord(home);
  if (!r || r.pid === process.pid || !processAlive(r.pid)) return null;
  let token: string;
  try {
    token = readFileSync(join(home, TOKEN_FILE), 'utf8').trim();
  } catch {
    return null;
  }
  try {
    const res = await fetch(`${r.url}/account`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(3000) });
    await res.body?.cancel();
    return res.ok ? { ...r, token } : null;
  } catch {
    return null;
  }
}
