/**
 * `cogdesk serve ARGS` run in this process (registerServeCommands on a fresh program) over a core with these
 * options: resolves once it listens, with what it printed; `stop` ends it (as Ctrl-C does) and `done` settles
 * when it has closed.
 */
import { Command } from 'commander';
import { registerServeCommands } from '../../../src/main/cli/serve';
import type { ApiServer } from '../../../src/main/core/api-server';
import type { CoreOptions } from '../../../src/main/core';

export async function serveInProcess(args: string[], coreOptions: CoreOptions) {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  let listening!: (s: ApiServer) => void;
  const ready = new Promise<ApiServer>((r) => (listening = r));
  const program = registerServeCommands(new Command().exitOverride(), {
    signal: stop.signal,
    onListening: (s) => listening(s),
    coreOptions,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  const done = program.parseAsync(['node', 'cogdesk', 'serve', ...args]);
  const server = await Promise.race([ready, done.then(() => Promise.reject(new Error(`serve ended early: ${err.join('\n')}`)))]);
  return { server, out, err, stop, done };
}
