import type { Core } from '../core';
import { findRunningServer, type RunningServer } from '../core/api-server/server-record';

/**
 * A running Cogdesk for `run` to go through (the model stays warm there), or null to run here, and the one
 * line that says which (runCommand prints it on stderr once the inputs are read, not with --quiet).
 */
export async function whereToRun(core: Core, gpus?: string): Promise<{ server: RunningServer | null; line: string }> {
  const server = await findRunningServer(core.paths.home);
  if (server && gpus) return { server: null, line: `Running here, not in the Cogdesk at ${server.url}: --gpus picks the GPUs of a start in this process.` };
  if (server) return { server, line: `Running in the Cogdesk at ${server.url} (${server.by}, pid ${server.pid}): the model stays warm there.` };
  return { server: null, line: 'No Cogdesk is running for this data folder: the model starts here and stops when this command ends (cogdesk serve keeps models warm).' };
}
