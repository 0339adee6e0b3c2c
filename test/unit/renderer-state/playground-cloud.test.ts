/**
 * Run on Replicate from the Playground's store: the same input goes to createPrediction with `on: 'replicate'`
 * and the model's Replicate name with this version (a version pulled from Replicate has Replicate's id); a
 * model that did not come from Replicate is refused with what to do instead, and nothing is created.
 * Type-checked with the window's code (tsconfig.web.json): the store uses `window`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PredictionRequest } from '../../../src/shared/api';
import type { Version } from '../../../src/shared/domain';

const VERSION = 'a'.repeat(64);
const version = (modelId: string): Version => ({
  id: VERSION,
  modelId,
  imageRef: `r8.im/${modelId}@sha256:${VERSION}`,
  imageId: 'sha256:x',
  cogVersion: '0.15.5',
  openapiSchema: { components: { schemas: { Input: { type: 'object', properties: { text: { type: 'string', 'x-order': 0 } } }, Output: { type: 'string' } } } },
  cogConfig: null,
  legacyLabels: false,
  sizeBytes: 1,
  createdAt: '2026-12-01T00:00:00Z',
});

const ok = (value: unknown) => ({ ok: true, value });
const created: PredictionRequest[] = [];
let modelId = 'acme/hello';
const bridge = {
  on: () => () => {},
  listModels: async () => ok([{ id: modelId }]),
  listVersions: async () => ok([{ id: VERSION }]),
  listExamples: async () => ok([]),
  validateInput: async () => ok([]),
  getVersion: async () => ok(version(modelId)),
  createPrediction: async (r: PredictionRequest) => {
    created.push(r);
    return ok({ id: `p${created.length}`, modelId, versionId: VERSION, status: 'starting', input: r.input, output: null, logs: '', error: null, source: 'app', createdAt: '2026-12-01T00:00:00Z', startedAt: null, completedAt: null, metrics: null, containerId: null, runOn: r.on ?? 'local', remote: null });
  },
};

let usePlayground: typeof import('../../../src/renderer/src/state/playground').usePlayground;
beforeAll(async () => {
  vi.stubGlobal('window', { cogdesk: bridge });
  ({ usePlayground } = await import('../../../src/renderer/src/state/playground'));
});
afterAll(() => vi.unstubAllGlobals());

describe('Run on Replicate in the Playground', () => {
  it('sends the same input to Replicate as owner/name:version, and shows the prediction', async () => {
    await usePlayground.getState().open({ page: 'playground', modelId });
    usePlayground.getState().setDraft('text', 'hi');
    expect(await usePlayground.getState().run('replicate')).toBeNull();
    expect(created.at(-1)).toEqual({ version: `acme/hello:${VERSION}`, input: { text: 'hi' }, source: 'app', on: 'replicate' });
    expect(usePlayground.getState()).toMatchObject({ predictionId: 'p1', creating: false, creatingOn: null, runError: null });

    await usePlayground.getState().run();
    expect(created.at(-1)).toEqual({ version: VERSION, input: { text: 'hi' }, source: 'app' });
  });

  it('refuses a model that did not come from Replicate, saying what to do', async () => {
    modelId = '127.0.0.1:5100/fixtures/echo';
    await usePlayground.getState().open({ page: 'playground', modelId });
    const before = created.length;
    await usePlayground.getState().run('replicate');
    expect(created.length).toBe(before);
    expect(usePlayground.getState().runError).toMatchObject({
      message: '127.0.0.1:5100/fixtures/echo did not come from Replicate, so it cannot run there',
      hint: 'Run it here, or push it to Replicate from the Library first.',
    });
  });
});
