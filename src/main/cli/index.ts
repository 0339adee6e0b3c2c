/**
 * `cogdesk`: the headless command line, a thin shell over the core. Output for people on stdout,
 * progress and logs on stderr, `--json` for scripts; a non-zero exit code on any failure.
 *
 * Start-up: this file and the files that declare commands load only commander and small modules; the
 * engine (Docker's client, the Replicate client, the API server) is imported by the command that needs it
 * (`await import(...)`, withCore, withStore), so `--help` and `predictions list` start fast (bench/cli-startup.ts).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RUN_ON, type Prediction, type PredictionStatus, type PullProgress, type RunOn } from '../../shared/domain';
import { CogdeskError, toErrorInfo } from '../../shared/errors';
import { print, printJson, withCore, withStore } from './context';
import { EXIT_INTERRUPTED, exitWhenFlushed, quietOnClosedPipe, ReportedFailure, wasInterrupted } from './exit';
import { formatError, formatExamples, formatModels, formatPrediction, formatPredictions } from './format';
import { registerCatalogCommands } from './catalog';
import { localExampleInput, localModelId, modelArg, resolveArg } from './resolve';
import { whereToRun } from './where-to-run';
import { findRunningServer } from '../core/api-server/server-record';
import { pullInServer } from './server-api';
import { parseConcurrencyOption } from './concurrency-option';
import { withRealCause } from './hints';
import { runLineOf } from './local-model';
import { progressReporter } from './progress-bar';
import { registerHardwareCommands } from './hardware';
import { registerPushCommands } from './push';
import { visible } from './visible';
import { registerServeCommands } from './serve';
import { registerSettingsCommand } from './settings-cmd';
import { registerCompletion } from './completion';
import { registerVerbs } from './verbs';
import { registerWeightsCommands } from './weights';

const STATUSES: PredictionStatus[] = ['starting', 'processing', 'succeeded', 'failed', 'canceled'];

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new InvalidArgumentError(`--limit must be a whole number from 1 to 1000, got "${value}".`);
  }
  return n;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** A run that did not succeed fails the command, saying where its input and logs are kept. */
function failedRun(final: Prediction, explained?: string | null): void {
  if (final.status === 'succeeded') return;
  throw new CogdeskError({
    code: final.status === 'canceled' ? 'canceled' : 'prediction_failed',
    message: final.status === 'canceled' ? `Prediction ${final.id} was canceled` : `Prediction ${final.id} failed: ${explained ?? final.error ?? 'no reason given'}`,
    hint: `Its input and logs are kept: cogdesk predictions show ${final.id}`,
  });
}

/** `cogdesk run IMAGE text=hi`: inputs go after -i; say so with the line that works. */
function forgotInputFlag(extra: string[], image: string): void {
  if (extra.length === 0) return;
  const looksLikeInputs = extra.every((a) => /^[A-Za-z_][\w-]*=/.test(a));
  throw new ReportedFailure(
    looksLikeInputs
      ? `Error: inputs go after -i: cogdesk run ${image} ${extra.map((a) => `-i ${a}`).join(' ')}`
      : `Error: run takes one model or image, and got ${extra.length + 1}: ${[image, ...extra].join(' ')}\nInputs go after -i: cogdesk run IMAGE -i key=value`,
    2,
  );
}
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('cogdesk')
    .description('Run Replicate Cog models on this machine. The data folder is COGDESK_HOME, else the app\'s user-data folder.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('pull')
    .description('pull a Replicate model (owner/name[:version], latest by default) or any Cog image, and add it to the library')
    .argument('<image>', 'owner/name[:version] on Replicate, or an image reference')
    .option('--json', 'print the version as JSON')
    .action(async (image: string, o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const bar = progressReporter();
        const onProgress = (p: PullProgress) => bar.update(p);
        // With a Cogdesk running, the pull is its (the window shows it; Ctrl-C here cancels it there).
        const server = await findRunningServer(core.paths.home);
        if (server) process.stderr.write(`Pulling in the Cogdesk at ${server.url} (${server.by}, pid ${server.pid}).\n`);
        const resolved = await resolveArg(core, image, { onProgress, server });
        const remote = resolved.remote;
        // A name of something here pulls its image again, as `docker pull` does (a tag may have moved).
        const ref = resolved.local?.imageRef ?? resolved.ref;
        const pulled = remote?.version ?? (server ? await core.getVersion(await pullInServer(server, ref, { always: true, onProgress })) : await core.pull(ref, { onProgress }));
        bar.end();
        if (!pulled) throw new CogdeskError({ code: 'not_found', message: `The running Cogdesk pulled ${ref}, but this data folder does not have it`, hint: 'It uses another data folder (COGDESK_HOME): pull with the same COGDESK_HOME, or stop it to pull here.' });
        const version = pulled;
        if (o.json) printJson(await (await import('./json-library')).cliPulledVersion(core, version));
        else print(`Pulled ${remote?.ref ?? version.imageRef}\nModel:   ${version.modelId}\nVersion: ${version.id}\n\nRun it:  ${runLineOf(version.modelId, version)}`);
      });
    });

  program
    .command('run')
    .description('run a prediction (pulls the image first when it is not here)')
    .argument('<image>', 'owner/name[:version] on Replicate, an image reference, a local model name or a version id')
    .option('-i, --input <key=value>', 'an input; key=@path sends a local file (repeatable)', collect, [])
    .option('--example <id>', "start from this example of a Replicate model instead of its default one (cogdesk model OWNER/NAME lists them)")
    .option('--json', 'print the whole prediction as JSON at the end')
    .option('-o, --output <path>', 'write the output to this file (a list of files: PATH.0.ext, PATH.1.ext, ...); stdout then says where')
    .option('-q, --quiet', 'print only the output: no logs, progress or notes')
    .option('--gpus <list>', "the GPUs this run's cold start gets, together: nvidia-smi indices or UUIDs (0,1) or all, like cog run --gpus")
    .option('--concurrency <n>', "how many predictions this model runs at once, saved for it (the image's own without it)", parseConcurrencyOption)
    .addOption(new Option('--on <where>', 'where to run it: here, or on Replicate with your API token (owner/name[:version] only)').choices(RUN_ON).default('local'))
    .allowExcessArguments()
    .action(async (image: string, o: { input: string[]; json?: boolean; example?: string; output?: string; quiet?: boolean; gpus?: string; concurrency?: number; on: RunOn }, cmd: Command) => {
      forgotInputFlag(cmd.args.slice(1), image);
      if (o.on === 'replicate' && (o.gpus || o.concurrency !== undefined)) {
        throw new ReportedFailure(`Error: --${o.gpus ? 'gpus' : 'concurrency'} is for a run here; Replicate picks the hardware of a run there.`, 2);
      }
      await withCore('passive', async (core) => {
        if (o.on === 'replicate') {
          const { runOnReplicate } = await import('./run-cloud');
          return failedRun(await runOnReplicate(core, image, o));
        }
        // Where it runs first: with a Cogdesk running, that one pulls it too.
        const { server, line: where } = await whereToRun(core, o.gpus);
        const bar = progressReporter();
        const resolved = await resolveArg(core, image, { onProgress: (p) => !o.quiet && bar.update(p), example: o.example, server });
        bar.end();
        const example = resolved.remote?.example;
        if (example && !o.quiet) {
          process.stderr.write(`Starting from ${o.example ? 'the example' : 'the default example'} ${example.id} of ${resolved.remote!.model.id} (cogdesk model ${resolved.remote!.model.id} shows it); -i values go on top.\n`);
        }
        const baseInput = resolved.remote ? resolved.remote.startingInput : o.example ? await localExampleInput(core, resolved, o.example) : undefined;
        const [{ runCommand }, { explainInputDownloadError }] = await Promise.all([import('./run'), import('../core/cog/input-errors')]);
        const final = await runCommand(core, resolved.ref, { ...o, baseInput, server, where });
        failedRun(final, explainInputDownloadError(final.error, final.input));
      });
    });

  const predictions = program.command('predictions').description('the prediction history: run here and on Replicate');
  predictions
    .command('list')
    .description('list predictions, newest first (the ON column says where each ran)')
    .option('--model <model>', 'only this model')
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .addOption(new Option('--on <where>', 'only the ones run here, or on Replicate').choices(RUN_ON))
    .option('--limit <n>', 'how many (1 to 1000)', parseLimit, 50)
    .option('--json', 'print JSON')
    .action(async (o: { model?: string; status?: PredictionStatus; on?: RunOn; limit: number; json?: boolean }) => {
      await withStore(async (store) => {
        const modelId = o.model ? modelArg(store, o.model, { orInHistory: true }) : undefined;
        const list = store.predictions.list({ modelId, status: o.status, runOn: o.on, limit: o.limit });
        if (o.json) printJson(list.map((await import('./json')).cliPrediction));
        else print(formatPredictions(list));
      });
    });
  predictions
    .command('show')
    .description('show one prediction: input, output, logs, timings')
    .argument('<id>', 'prediction id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withStore(async (store) => {
        const p = store.predictions.get(id);
        if (!p) throw new CogdeskError({ code: 'not_found', message: `No prediction "${id}"`, hint: 'List them with: cogdesk predictions list' });
        if (o.json) printJson((await import('./json')).cliPrediction(p));
        else print(formatPrediction(p));
      });
    });

  predictions
    .command('import')
    .description('keep a prediction made on Replicate elsewhere (the web, another client) in the history, with its output files')
    .argument('<id>', "the prediction's id on Replicate (replicate.com/p/ID)")
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const imported = await core.importPrediction(id);
        const final = await core.waitForPrediction(imported.id);
        if (o.json) printJson((await import('./json')).cliPrediction(final));
        else print(`Imported ${final.remote?.id ?? id} (${final.modelId}, ${final.status}) as ${final.id}\n\n${formatPrediction(final)}`);
      });
    });

  predictions
    .command('rm')
    .description('delete predictions from the history, with their output files')
    .argument('<ids...>', 'prediction ids')
    .action(async (ids: string[]) => {
      await withCore('passive', async (core) => {
        for (const id of ids) {
          await core.deletePrediction(id);
          print(`Deleted ${id}`);
        }
      });
    });

  program
    .command('models')
    .description('list local models (images built with `cog build` included)')
    .option('--json', 'print JSON (with versions)')
    .action(async (o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        // What Docker has with Cog labels joins the list first; without Docker, the library still answers.
        await core.scanLocalImages().then(
          (scan) => scan.skipped.forEach((s) => console.error(`Not listed: ${s.ref}: ${s.reason}`)),
          (e: unknown) => console.error(`Images built with cog build are not listed: ${e instanceof Error ? e.message : String(e)}`),
        );
        const models = await core.listModels();
        if (o.json) {
          // Each version with the size of its kept weights (0 when none; null when Docker cannot say).
          const kept = await core.listKeptWeights().catch(() => null);
          const keptOf = (id: string) => (kept ? kept.filter((k) => k.versionId === id).reduce((n, k) => n + k.bytes, 0) : null);
          // ... and the Cog server it runs (python, go, coglet; null when its labels do not tell).
          const { serverOfVersion } = await import('../../shared/cog-server');
          printJson(await (await import('./json-library')).cliModels(core, models, (v) => ({ keptWeightsBytes: keptOf(v.id), server: serverOfVersion(v) })));
        }
        else print(formatModels(models));
      });
    });

  const examples = program.command('examples').description("a model's examples: predictions worth showing");
  examples
    .command('add')
    .description('mark a succeeded prediction as an example of its model')
    .argument('<prediction-id>', 'prediction id')
    .option('--default', 'make it the default example')
    .action(async (id: string, o: { default?: boolean }) => {
      await withCore('passive', async (core) => {
        const e = await core.addExample(id, { isDefault: o.default });
        print(`Added ${id} as example #${e.position + 1} of ${e.modelId}${e.isDefault ? ' (default)' : ''}`);
      });
    });
  examples
    .command('list')
    .description("list a model's examples")
    .argument('<model>', 'model name')
    .option('--json', 'print JSON')
    .action(async (model: string, o: { json?: boolean }) => {
      await withStore(async (store) => {
        const list = store.examples.list(localModelId(store, model));
        if (o.json) printJson(list.map((await import('./json')).cliExample));
        else print(formatExamples(list));
      });
    });

  examples
    .command('rm')
    .description('stop showing a prediction as an example (the prediction stays in the history)')
    .argument('<prediction-id>', 'prediction id')
    .action(async (id: string) => {
      await withCore('passive', async (core) => {
        await core.removeExample(id);
        print(`${id} is no longer an example`);
      });
    });

  registerVerbs(program);
  registerHardwareCommands(program);
  registerServeCommands(program);
  registerSettingsCommand(program);
  registerWeightsCommands(program);
  registerCatalogCommands(program);
  registerPushCommands(program);
  registerCompletion(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ReportedFailure) {
      if (e.message) process.stderr.write(visible(e.message) + '\n');
      return e.exitCode;
    }
    process.stderr.write(visible(formatError(withRealCause(toErrorInfo(e), e))) + '\n');
    // Ctrl-C that canceled the work: 130, as a shell gives a command SIGINT ended.
    return wasInterrupted() ? EXIT_INTERRUPTED : 1;
  }
}

// Run when executed (node out/main/cli.js or bin/cogdesk.js), not when imported by tests.
if (require.main === module || process.env.COGDESK_CLI_MAIN === '1') {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  void main().then(exitWhenFlushed);
}
