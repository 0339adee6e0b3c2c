import type { Prediction, PullProgress, Version } from '../../shared/domain';
import { CogdeskError } from '../../shared/errors';
import { parseInputArgs } from '../core/cog/input-parse';
import { parseVersionSchema } from '../../shared/schema';
import { requirementFromCogConfig } from '../core/hardware/fit';
import { gpuRoomOf } from '../core/runner/gpu-room';
import type { Core } from '../core';
import { cliPrediction } from './json';
import { markInterrupted } from './exit';
import { formatOutput } from './format';
import { writeOutput } from './output-file';
import { readTextInputs } from './text-from-file';
import { watchSetup, type SetupWatch } from './setup-logs';
import { withInputFlag } from './hints';
import type { RunningServer } from '../core/api-server/server-record';
import { localRunner, serverRunner, type PredictionRunner } from './via-server';
import { pullInServer } from './server-api';
import { progressReporter } from './progress-bar';
import { safeJson, visible, visibleStream } from './visible';

export interface RunOptions {
  input: string[];
  json?: boolean;
  /** The starting input (a Replicate model's default or chosen example); the -i values go on top of it. */
  baseInput?: Record<string, unknown>;
  /** `--quiet`: no logs, progress or notes; only the output (or the JSON). */
  quiet?: boolean;
  /** `-o PATH`: the output written to this file (output-file.ts); stdout then says where. */
  output?: string;
  /** A running Cogdesk to run it in (the model stays warm there); else it runs in this process. */
  server?: RunningServer | null;
  /** The line that says where it runs (where-to-run.ts), printed on stderr once the inputs are read. */
  where?: string;
  /** `--gpus 0,1` (nvidia-smi indices or uuids, or `all`), like `cog run --gpus`: the GPUs this run's cold start gets, together. */
  gpus?: string;
  /** `--concurrency N`: how many predictions the model runs at once, saved as its own setting (as on its page). */
  concurrency?: number;
}

export { parseConcurrencyOption } from './concurrency-option';

/**
 * `cogdesk run IMAGE -i key=value ...`: pulls the image if it is not here, runs one prediction, shows its
 * logs (stderr) and streamed output (stdout) as they come, and ends with the output. Ctrl-C cancels it.
 */
export async function runCommand(core: Core, image: string, o: RunOptions): Promise<Prediction> {
  const bar = progressReporter();
  const onProgress = (p: PullProgress) => !o.quiet && bar.update(p);
  // Through a running Cogdesk, it pulls what is not here (it answers at once for what is).
  const version = o.server ? await versionFromServer(core, o.server, image, onProgress) : await core.ensureVersion(image, { onProgress });
  bar.end();
  if (o.concurrency !== undefined) await core.updateModelSettings(version.modelId, { concurrency: o.concurrency });
  if (!o.quiet && requirementFromCogConfig(version.cogConfig).gpu) {
    // A GPU model: say before it starts whether this machine can give it one.
    const fit = await core.checkFit({ version: version.id });
    if (fit.kind !== 'gpu') process.stderr.write(`${fit.sentence}\n`);
  }
  const schema = parseVersionSchema(version.openapiSchema);
  const args = readTextInputs(o.input, schema, (line) => !o.quiet && process.stderr.write(`${line}\n`));
  const parsed = await parseInputArgs(args, schema, undefined, { keepPaths: true }).catch((e: unknown) => {
    throw withInputFlag(e, image, schema);
  });
  const input = { ...(o.baseInput ?? {}), ...parsed };
  if (o.where && !o.quiet) process.stderr.write(`${o.where}\n`);
  const streamsText = schema.output.kind === 'iterator' || schema.output.kind === 'concatenate';

  const runner = o.server ? serverRunner(core, o.server, schema) : localRunner(core);
  if (o.gpus) gpuRoomOf(core.store)?.pinFor(version.id, o.gpus.split(',').map((g) => g.trim()).filter(Boolean));
  const setup = await watchSetup(core, version.id, version.modelId, { quiet: o.quiet || o.json });
  return runAndShow(runner, () => runner.create(version.id, input), streamsText, o, setup);
}

async function versionFromServer(core: Core, server: RunningServer, image: string, onProgress: (p: PullProgress) => void): Promise<Version> {
  const id = await pullInServer(server, image, { onProgress });
  const version = await core.getVersion(id);
  if (!version) {
    throw new CogdeskError({ code: 'not_found', message: `The running Cogdesk has ${image}, but this data folder does not`, hint: 'It uses another data folder (COGDESK_HOME): run with the same COGDESK_HOME, or stop it to run here.' });
  }
  return version;
}

/**
 * Creates the prediction, shows its logs (stderr) and streamed tokens (stdout) as they come, cancels it on
 * Ctrl-C, and ends with its output (or the JSON, or the files written with -o). For a run here, through a
 * running Cogdesk, or on Replicate.
 */
export async function runAndShow(
  runner: PredictionRunner,
  create: () => Promise<string>,
  streamsText: boolean,
  o: Pick<RunOptions, 'json' | 'quiet' | 'output'>,
  setup: SetupWatch = { update: () => undefined, stop: () => undefined },
): Promise<Prediction> {
  let id = '';
  let logsShown = 0;
  let tokensShown = 0;
  // The model's logs and tokens are its text: escape codes in them are shown, never run by the terminal.
  const logText = visibleStream();
  const tokenText = visibleStream();
  /** Shows what is new in a prediction (the core's, or the local API's JSON of it). */
  const show = (p: Pick<Prediction, 'id' | 'logs' | 'output'>) => {
    if (p.id !== id || o.json) return;
    // Its first lines may have been shown already, as the end of the setup logs.
    if (logsShown === 0 && p.logs) logsShown = setup.shownOf?.(p.logs) ?? 0;
    if (p.logs.length > logsShown && !o.quiet) {
      process.stderr.write(logText.write(p.logs.slice(logsShown)));
      logsShown = p.logs.length;
    }
    if (streamsText && !o.output && Array.isArray(p.output) && p.output.length > tokensShown) {
      const fresh = p.output.slice(tokensShown);
      if (fresh.every((t) => typeof t === 'string')) process.stdout.write(tokenText.write(fresh.join('')));
      tokensShown = p.output.length;
    }
  };
  id = await create();
  const onSigint = () => {
    markInterrupted();
    process.stderr.write('\nCanceling…\n');
    void runner.cancel(id).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    const final = await runner.wait(id, (p) => {
      setup.update(p.status);
      show(p);
    });
    setup.stop();
    show(final);
    process.stderr.write(logText.end());
    process.stdout.write(tokenText.end());
    if (logsShown > 0 && !/[\r\n]$/.test(final.logs)) process.stderr.write('\n');
    const written = o.output && final.status === 'succeeded' ? await writeOutput(final.output, o.output) : null;
    if (o.json) {
      process.stdout.write(safeJson(cliPrediction(final)) + '\n');
    } else if (written) {
      process.stdout.write(visible(written.join('\n')) + '\n');
    } else if (streamsText && tokensShown > 0) {
      process.stdout.write('\n');
    } else if (final.status === 'succeeded') {
      process.stdout.write(visible(formatOutput(final.output)) + '\n');
    }
    return final;
  } finally {
    setup.stop();
    process.off('SIGINT', onSigint);
  }
}
