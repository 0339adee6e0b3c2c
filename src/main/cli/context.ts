import { createInterface } from 'node:readline';
import type { Core } from '../core';
import type { Store } from '../core/store';
import { safeJson, visible } from './visible';

/** Prints text for people on stdout; control characters (a model's escape codes) are shown, never run. */
export const print = (text: string) => process.stdout.write(visible(text.endsWith('\n') ? text : text + '\n'));
/** Prints JSON for scripts: every control character escaped. */
export const printJson = (value: unknown) => process.stdout.write(safeJson(value) + '\n');

/**
 * Opens the core for one command and always closes it (stopping the containers this process started).
 * 'passive' recovery: a short command never takes over containers it would stop on exit.
 */
export async function withCore<T>(mode: 'full' | 'passive', fn: (core: Core) => Promise<T>): Promise<T> {
  // Loaded when a command needs it, not at start-up (the engine with Docker's client takes a while to load).
  const { createCore } = await import('../core');
  const core = await createCore({ recover: mode });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/**
 * A secret from stdin: the first non-empty line (piped), or typed after `prompt` on a terminal.
 * Never from argv, where other users could read it. Empty when nothing was given.
 */
export async function readSecretLine(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, terminal: false });
  let line = '';
  for await (const text of rl) {
    if (text.trim()) {
      line = text.trim();
      break;
    }
  }
  rl.close();
  return line;
}

/**
 * Opens only the data folder's database for a command that reads the history or the library (no engine,
 * no Docker): what makes `predictions list` start fast.
 */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const [{ defaultHome, homePaths }, { openStore }] = await Promise.all([import('../core/paths'), import('../core/store')]);
  const store = openStore(homePaths(defaultHome()).database);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
