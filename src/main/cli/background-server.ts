/**
 * The background Cogdesk of the cliBackgroundServer setting: with no Cogdesk running for the data folder,
 * `cogdesk run` starts `cogdesk serve --exit-when-idle` detached from itself (its output in
 * `<data folder>/logs/serve.log`) and goes through it, so the model stays warm for the next command; that
 * server exits by itself once it has had nothing to do for the idle timeout (idleWatch).
 *
 * Only node's own modules and types here: `cogdesk run` loads this file when it needs it, serve at start.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../core';
import { findRunningServer, type RunningServer } from '../core/api-server/server-record';
import { CogdeskError } from '../../shared/errors';
import { processAlive } from '../core/util/process';

/** How long `run` waits for the background server to answer (it recovers the data folder first). */
export const START_TIMEOUT_MS = 15_000;
/** A log that grew past this starts afresh at the next start. */
const LOG_MAX_BYTES = 5 * 1024 * 1024;
const LOCK = 'serve-start.lock';

export const serveLogPath = (home: string) => join(home, 'logs', 'serve.log');

/** 300 -> "5 min", 45 -> "45 s", 7200 -> "2 h". */
export function idleWords(seconds: number): string {
  if (seconds >= 7200 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 120) return `${Math.round(seconds / 60)} min`;
  return `${seconds} s`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One starter at a time per data folder: two `cogdesk run` at once must not start two servers (each would
 * take over the other's containers). True when this process holds the lock; false when a live one does.
 */
function takeLock(home: string): boolean {
  const file = join(home, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) return false;
      rmSync(file, { force: true }); // left by a starter that died
    }
  }
  return false;
}

function lastLines(file: string, n = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

export interface StartedServer {
  server: RunningServer;
  /** False when another command started it at the same moment, and this one went through that one. */
  startedHere: boolean;
  log: string;
}

/**
 * Starts `cogdesk serve --exit-when-idle` for the data folder, detached (it outlives this command), and
 * waits until it answers. `script` is the CLI's own entry (bin/cogdesk.js or out/main/cli.js).
 */
export async function startBackgroundServer(home: string, o: { script?: string; timeoutMs?: number } = {}): Promise<StartedServer> {
  const log = serveLogPath(home);
  const startedHere = takeLock(home);
  let child: { pid?: number; exited: boolean; code: number | null } | null = null;
  try {
    if (startedHere) {
      // Another command may have started one while this one looked.
      const there = await findRunningServer(home);
      if (there) return { server: there, startedHere: false, log };
      child = spawnServe(home, log, o.script ?? process.argv[1]);
    }
    const deadline = Date.now() + (o.timeoutMs ?? START_TIMEOUT_MS);
    while (Date.now() < deadline) {
      const server = await findRunningServer(home);
      if (server) return { server, startedHere: !!child && server.pid === child.pid, log };
      if (child?.exited) {
        throw notStarted(`it ended (exit code ${child.code ?? 'none'}) before it answered`, log);
      }
      await sleep(150);
    }
    if (child?.pid && !child.exited) process.kill(child.pid, 'SIGTERM');
    throw notStarted(`it did not answer within ${Math.round((o.timeoutMs ?? START_TIMEOUT_MS) / 1000)} s`, log);
  } finally {
    if (startedHere) rmSync(join(home, LOCK), { force: true });
  }
}

function notStarted(why: string, log: string): CogdeskError {
  const tail = lastLines(log);
  return new CogdeskError({
    code: 'internal',
    message: `The background Cogdesk for cogdesk run did not start: ${why}`,
    hint: `Its log: ${log}. Run \`cogdesk serve\` yourself to see why, or run each command on its own: cogdesk settings cliBackgroundServer false`,
    details: tail ? `Last lines of ${log}:\n${tail}` : undefined,
  });
}

function spawnServe(home: string, log: string, script: string) {
  mkdirSync(join(home, 'logs'), { recursive: true, mode: 0o700 });
  const big = (() => {
    try {
      return statSync(log).size > LOG_MAX_BYTES;
    } catch {
      return false;
    }
  })();
  const fd = openSync(log, big ? 'w' : 'a', 0o600);
  writeSync(fd, `\n--- ${new Date().toISOString()}: cogdesk serve --exit-when-idle, started by cogdesk run (pid ${process.pid})\n`);
  const state = { pid: undefined as number | undefined, exited: false, code: null as number | null };
  try {
    const child = spawn(process.execPath, [script, 'serve', '--port', '0', '--exit-when-idle'], {
      cwd: home,
      env: { ...process.env, COGDESK_HOME: home, COGDESK_CLI_MAIN: '1' },
      detached: true,
      windowsHide: true,
      stdio: ['ignore', fd, fd],
    });
    state.pid = child.pid;
    child.once('exit', (code) => Object.assign(state, { exited: true, code }));
    child.once('error', () => Object.assign(state, { exited: true }));
    child.unref();
  } finally {
    closeSync(fd);
  }
  return state;
}

export interface IdleWatch {
  /** Resolves once the server has had nothing to do for the idle timeout. */
  idle: Promise<void>;
  /** An API request finished (the server's log line): that is activity. */
  requestSeen(): void;
  stop(): void;
}

/**
 * Watches a serve process for idleness: nothing warm, no prediction running or queued, no pull or push
 * task, and no API request for `idleTimeoutSeconds` (read at each check, so a change applies at once).
 */
export function idleWatch(core: Pick<Core, 'on' | 'store' | 'getEngineStatus'>, o: { checkMs?: number } = {}): IdleWatch {
  let last = Date.now();
  const touch = () => (last = Date.now());
  const tasks = new Set<string>();
  const offs = [
    core.on('task', (t) => {
      touch();
      if (t.state === 'running') tasks.add(t.taskId);
      else tasks.delete(t.taskId);
    }),
    core.on('prediction', touch),
  ];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const idle = new Promise<void>((resolve) => {
    const check = async () => {
      if (stopped) return;
      // Its own predictions (another process's runs are that process's business).
      if (tasks.size > 0 || core.store.predictions.unfinished().some((u) => u.runnerPid === process.pid)) touch();
      const quietFor = Date.now() - last;
      // Warm containers are asked about last (Docker is asked too): the pool stops each at its idle timeout.
      if (quietFor >= core.store.settings.get().idleTimeoutSeconds * 1000) {
        const warm = await core.getEngineStatus().then((s) => s.warmContainers.length, () => 1);
        if (warm === 0 && !stopped) return resolve();
      }
      timer = setTimeout(() => void check(), o.checkMs ?? 1000);
    };
    timer = setTimeout(() => void check(), o.checkMs ?? 1000);
  });
  return {
    idle,
    requestSeen: touch,
    stop() {
      stopped = true;
      clearTimeout(timer);
      offs.forEach((off) => off());
    },
  };
}
