/**
 * A child process for the recovery tests: opens a core on COGDESK_HOME, starts a prediction, prints
 * its id once the model has started producing output (or, with `--until-done`, once it has finished),
 * then waits to be killed (SIGKILL: no clean-up).
 */
import { createCore } from '../../src/main/core';

async function main(): Promise<void> {
  const [image, inputJson, mode] = process.argv.slice(2);
  const core = await createCore({ home: process.env.COGDESK_HOME! });
  const version = await core.ensureVersion(image);
  const created = await core.createPrediction({ version: version.id, input: JSON.parse(inputJson), source: 'cli' });
  const off = core.on('prediction', (p) => {
    const ready = mode === '--until-done' ? p.status === 'succeeded' : Array.isArray(p.output) && p.output.length > 0;
    if (p.id === created.id && ready) {
      off();
      process.stdout.write(`${created.id}\n`);
    }
  });
  setInterval(() => undefined, 1000);
}

void main();
