import type { Core } from '../core';
import { findRunningServer, type RunningServer } from '../core/api-server/server-record';

/**
 * A running Cogdesk for `run` to go through (the model stays warm there), or null to run here, and the one
 * line that says which (runCommand prints it on stderr once the inputs are read, not with --quiet). With
 * the cliBackgroundServer setting and none running, it starts one in the background first
 * (background-server.ts), which exits after the idle timeout.
 */
export async function whereToRun(core: Core, gpus?: string): Promise<{ server: RunningServer | null; line: string }> {
  const server = await findRunningServer(core.paths.home);
  if (server && gpus) return { server: null, line: `Running here, not in the Cogdesk at ${server.url}: --gpus picks the GPUs of a start in this process.` };
  if (server) return { server, line: `Running in the Cogdesk at ${server.url} (${server.by}, pid ${server.pid}): the model stays warm there.` };
  const settings = core.store.settings.get();
  if (settings.cliBackgroundServer && !gpus) {
    const { startBackgroundServer, idleWords } = await import('./background-server');
    const started = await startBackgroundServer(core.paths.home);
    const s = started.server;
    return {
      server: s,
      line: started.startedHere
        ? `Started a background Cogdesk (pid ${s.pid}, exits after ${idleWords(settings.idleTimeoutSeconds)} idle; log: ${started.log}): the model stays warm there.`
        : `Running in the Cogdesk at ${s.url} (${s.by}, pid ${s.pid}), which another command started a moment ago: the model stays warm there.`,
    };
  }
  if (gpus) return { server: null, line: 'No Cogdesk is running for this data folder: the model starts here and stops when this command ends (--gpus picks the GPUs of a start in this process).' };
  return {
    server: null,
    line: 'No Cogdesk is running for this data folder: the model starts here and stops when this command ends (cogdesk serve keeps models warm; so does a background one run starts: cogdesk settings cliBackgroundServer true).',
  };
}
