/**
 * `cogdesk run OWNER/NAME[:VERSION] --on replicate`: the same input (-i values on top of the model's
 * default example, files as for a run here) run on Replicate with the user's token; its logs and tokens
 * shown as they stream, Ctrl-C cancels it there, and it ends with the output, its files downloaded into the
 * data folder. Kept in the history like a run here.
 */
import type { Prediction } from '../../shared/domain';
import { CogdeskError } from '../../shared/errors';
import { parseVersionSchema } from '../../shared/schema';
import type { Core } from '../core';
import { parseInputArgs } from '../core/cog/input-parse';
import { exampleInput, parseRemoteModelRef } from '../core/remote/run-remote';
import { withInputFlag } from './hints';
import { runAndShow, type RunOptions } from './run';
import { readTextInputs } from './text-from-file';
import { localRunner, type PredictionRunner } from './via-server';

export async function runOnReplicate(core: Core, image: string, o: Pick<RunOptions, 'input' | 'json' | 'quiet' | 'output'> & { example?: string }): Promise<Prediction> {
  const ref = parseRemoteModelRef(image);
  if (!ref) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `"${image}" is not a Replicate model: --on replicate runs Replicate's models`,
      hint: 'Write it as owner/name or owner/name:<version id>; run local images without --on replicate.',
    });
  }
  const note = (line: string) => !o.quiet && process.stderr.write(`${line}\n`);
  const model = await core.catalog.model(ref.id);
  if (model.notice) note(model.notice);
  const version = ref.version && ref.version !== model.data.latestVersion?.id ? (await core.catalog.version(ref.id, ref.version)).data : model.data.latestVersion;
  const schema = parseVersionSchema(version?.openapiSchema ?? {});
  let example = model.data.defaultExample;
  if (o.example) {
    example = (await core.catalog.examples(ref.id)).data.find((x) => x.id === o.example) ?? null;
    if (!example) throw new CogdeskError({ code: 'not_found', message: `${ref.id} has no example ${o.example}`, hint: `See its page: cogdesk model ${ref.id}` });
  }
  const base = exampleInput(example, version?.openapiSchema ?? {});
  if (example && Object.keys(base).length > 0) note(`Starting from ${o.example ? 'the example' : 'the default example'} ${example.id} of ${ref.id}; -i values go on top.`);
  const args = readTextInputs(o.input, schema, note);
  const parsed = await parseInputArgs(args, schema, undefined, { keepPaths: true }).catch((e: unknown) => {
    throw withInputFlag(e, image, schema);
  });
  const input = { ...base, ...parsed };
  const streamsText = schema.output.kind === 'iterator' || schema.output.kind === 'concatenate';

  // Waiting and canceling are the local runner's: the core follows a cloud prediction like a local one.
  const runner: PredictionRunner = {
    ...localRunner(core),
    async create(version, input) {
      const p = await core.createPrediction({ version, input, source: 'cli', on: 'replicate' });
      note(`Running on Replicate${p.remote?.webUrl ? `: ${p.remote.webUrl}` : ''} (prediction ${p.id}).`);
      return p.id;
    },
  };
  return runAndShow(runner, () => runner.create(image, input), streamsText, o);
}
