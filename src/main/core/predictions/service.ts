/**
 * Predictions and examples: create (input checked, files prepared, secrets masked, then handed to the
 * runner), cancel, read, list, wait, delete, the files a prediction refers to, and a model's examples.
 */
import type { CogdeskApi, PredictionRequest } from '../../../shared/api';
import type { Prediction } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { assertValidInput, validateInput } from '../cog/validate';
import type { EventBus } from '../events';
import { requirementFromCogConfig } from '../hardware/fit';
import type { LibraryService } from '../library/service';
import { notFound } from '../library/not-found';
import type { HomePaths } from '../paths';
import type { RunEngine } from '../runner/engine';
import { readPredictionFile, removeOutputFiles, resolvePredictionFile } from '../runner/files';
import { inputForCheck, inputRoots, prepareInput } from '../runner/inputs';
import { processAlive } from '../util/process';
import { maskSecretInputs, secretValues } from '../runner/secrets';
import type { Store } from '../store';

export type PredictionCalls = Pick<
  CogdeskApi,
  | 'createPrediction'
  | 'cancelPrediction'
  | 'getPrediction'
  | 'listPredictions'
  | 'deletePrediction'
  | 'validateInput'
  | 'readPredictionFile'
  | 'showPredictionFile'
  | 'addExample'
  | 'listExamples'
  | 'removeExample'
>;

export interface PredictionService extends PredictionCalls {
  /** Waits until a prediction is succeeded, failed or canceled. */
  waitForPrediction(id: string): Promise<Prediction>;
}

export interface PredictionDeps {
  store: Store;
  paths: HomePaths;
  events: EventBus;
  library: Pick<LibraryService, 'resolveVersion' | 'schemaOf'>;
  engine: Pick<RunEngine, 'lifecycle' | 'ready'>;
  /** Shows a file in the system's file manager (the app passes Electron's shell.showItemInFolder). */
  showInFolder?: (path: string) => Promise<void>;
}

export function createPredictionService(d: PredictionDeps): PredictionService {
  const { store, paths, events } = d;
  const { lifecycle } = d.engine;
  const existing = (id: string): Prediction => {
    const p = store.predictions.get(id);
    if (!p) throw notFound('prediction', id);
    return p;
  };

  return {
    async createPrediction(request: PredictionRequest) {
      if (!request || typeof request.version !== 'string' || !request.input || typeof request.input !== 'object' || Array.isArray(request.input)) {
        throw new CogdeskError({
          code: 'bad_request',
          message: 'A prediction needs a version (id or image) and an input object',
          hint: 'Example: {"version": "<64 hex>", "input": {"prompt": "hello"}}',
        });
      }
      const version = d.library.resolveVersion(request.version);
      const schema = d.library.schemaOf(version);
      // Local paths: any from the CLI (the person names their own files); from the window or the local API
      // only files Cogdesk keeps for predictions (uploads, kept inputs, outputs), never its secrets or database.
      // (Resolved only for a model that takes files: three realpath calls are a tenth of a warm prediction.)
      const hasFiles = schema.inputs.some((f) => f.isFile || f.items?.isFile);
      const roots = request.source === 'cli' || !hasFiles ? undefined : await inputRoots(paths);
      const { stored, sent } = await prepareInput(schema, request.input, paths.inputs, roots);
      assertValidInput(schema, sent);
      await d.engine.ready();
      const prediction = store.predictions.create({
        modelId: version.modelId,
        versionId: version.id,
        // Secrets go to the model, never into the history.
        input: maskSecretInputs(schema, stored),
        source: request.source ?? 'app',
      });
      store.predictions.setRunner(prediction.id, process.pid);
      events.emit('prediction', prediction);
      const streams = schema.output.kind === 'iterator' || schema.output.kind === 'concatenate';
      void lifecycle.start(prediction, version, sent, streams, requirementFromCogConfig(version.cogConfig).gpu === true, secretValues(schema, sent));
      return prediction;
    },

    async cancelPrediction(id) {
      existing(id);
      if (await lifecycle.cancel(id)) return;
      const owner = store.predictions.unfinished().find((u) => u.prediction.id === id);
      if (!owner) return; // finished already
      if (processAlive(owner.runnerPid)) {
        throw new CogdeskError({
          code: 'bad_request',
          message: `Prediction ${id} is run by another Cogdesk process (pid ${owner.runnerPid})`,
          hint: 'Cancel it from the window or command that started it.',
        });
      }
      // No process runs it any more: nothing will ever finish it, so the cancel ends it here.
      const canceled = store.predictions.update(id, { status: 'canceled', completedAt: new Date().toISOString() });
      store.predictions.setRunner(id, null);
      events.emit('prediction', canceled);
    },

    async getPrediction(id) {
      return store.predictions.get(id);
    },

    async listPredictions(query) {
      return store.predictions.list(query);
    },

    async waitForPrediction(id) {
      return lifecycle.wait(id) ?? existing(id);
    },

    async deletePrediction(id) {
      const prediction = existing(id);
      if (prediction.status === 'starting' || prediction.status === 'processing') {
        throw new CogdeskError({
          code: 'bad_request',
          message: `Prediction ${id} is still ${prediction.status}`,
          hint: 'Cancel it first, or wait until it finishes.',
        });
      }
      store.predictions.delete(id); // its example goes with it (ON DELETE CASCADE)
      await removeOutputFiles(paths, id);
    },

    async validateInput(version, input) {
      const schema = d.library.schemaOf(d.library.resolveVersion(version));
      return validateInput(schema, inputForCheck(schema, input));
    },

    async readPredictionFile(predictionId, path, o) {
      return readPredictionFile(paths, existing(predictionId), path, o?.maxBytes);
    },

    async showPredictionFile(predictionId, path) {
      const real = await resolvePredictionFile(paths, existing(predictionId), path);
      const shown = d.showInFolder ? await d.showInFolder(real).then(() => true, () => false) : false;
      return { path: real, shown };
    },

    async addExample(predictionId, o) {
      const prediction = existing(predictionId);
      if (prediction.status !== 'succeeded') {
        throw new CogdeskError({
          code: 'bad_request',
          message: `Prediction ${predictionId} ${prediction.status === 'failed' || prediction.status === 'canceled' ? prediction.status : 'has not finished'}: only a succeeded prediction can be an example`,
          hint: 'Pick a prediction that succeeded (cogdesk predictions list --status succeeded).',
        });
      }
      return store.examples.add(predictionId, o);
    },

    async listExamples(modelId) {
      const model = store.library.findModel(modelId);
      if (!model) throw notFound('model', modelId);
      return store.examples.list(model.id);
    },

    async removeExample(predictionId) {
      if (!store.examples.remove(predictionId)) throw notFound('example', predictionId);
    },
  };
}
