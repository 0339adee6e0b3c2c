/**
 * A child process for the recovery tests: opens a core on COGDESK_HOME, starts a prediction (and, with
 * RUN_QUEUE=N, N more behind it on the same model), prints their ids on one line once the model has started
 * producing output (or, with `--until-done`, once the first has finished), then waits to be killed
 * (SIGKILL: no clean-up). RUN_SOURCE sets the predictions' source (default `cli`: a `cogdesk run`).
 */
import type { PredictionSource } from '../../src/shared/domain';
import { createCore } from '../../src/main/core';

async function main(): Promise<void> {
  const [image, inputJson, mode] = process.argv.slice(2);
  const source = (process.env.RUN_SOURCE ?? 'cli') as PredictionSource;
  const core = await createCore({ home: process.env.COGDESK_HOME! });
  const version = await core.ensureVersion(image);
  const created = await core.createPrediction({ version: version.id, input: JSON.parse(inputJson), source });
  const queued: string[] = [];
  for (let i = 0; i < Number(process.env.RUN_QUEUE ?? 0); i++) {
    queued.push((await core.createPrediction({ version: version.id, input: JSON.parse(inputJson), source })).id);
  }
  const off = core.on('prediction', (p) => {
    const ready = mode === '--until-done' ? p.status === 'succeeded' : Array.isArray(p.output) && p.output.length > 0;
    if (p.id === created.id && ready) {
      off();
      process.stdout.write(`${[created.id, ...queued].join(' ')}\n`);
    }
  });
  setInterval(() => undefined, 1000);
}

void main();
