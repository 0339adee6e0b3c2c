/**
 * A child process for the recovery tests: opens a core on COGDESK_HOME, starts a prediction, prints
 * its id once the model has started producing output, then waits to be killed (SIGKILL: no clean-up).
 */
import { createCore } from '../../src/main/core';

async function main(): Promise<void> {
  const [image, inputJson] = process.argv.slice(2);
  const core = await createCore({ home: process.env.COGDESK_HOME! });
  const version = await core.ensureVersion(image);
  const created = await core.createPrediction({ version: version.id, input: JSON.parse(inputJson), source: 'cli' });
  const off = core.on('prediction', (p) => {
    if (p.id === created.id && Array.isArray(p.output) && p.output.length > 0) {
      off();
      process.stdout.write(`${created.id}\n`);
    }
  });
  setInterval(() => undefined, 1000);
}

void main();
