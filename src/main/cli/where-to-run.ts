import type { Core } from '../core';
import { findRunningServer, type RunningServer } from './server-record';

/**
 * A running Cogdesk for `run` to go through (the model stays warm there), or null to run here; one line on
 * stderr says which (not with --quiet).
 */
export async function whereToRun(core: Core, o: { quiet?: boolean; gpus?: string }): Promise<RunningServer | null> {
  const server = await findRunningServer(core.paths.home);
  const say = (line: string) => !o.quiet && process.stderr.write(`${line}\n`);
  if (server && o.gpus) {
    say(`Running here, not in the Cogdesk at ${server.url}: --gpus picks the GPUs of a start in this process.`);
    return null;
  }
  if (server) say(`Running in the Cogdesk at ${server.url} (${server.by}, pid ${server.pid}): the model stays warm there.`);
  else say('No Cogdesk is running for this data folder: the model starts here and stops when this command ends (cogdesk serve keeps models warm).');
  return server;
}
