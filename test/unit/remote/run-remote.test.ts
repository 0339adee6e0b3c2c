/** From a Replicate model name to an image reference and a starting input; reading real answers tolerantly. */
import { describe, expect, it } from 'vitest';
import { exampleInput, parseRemoteModelRef, remoteImageRef } from '../../../src/main/core/remote';
import { cursorOf, inputSchemaOf, toModel, toPrediction } from '../../../src/main/core/remote/shapes';
import { recorded } from '../../fakes/replicate-api';

const HEX = 'a'.repeat(64);

describe('parseRemoteModelRef', () => {
  it('takes owner/name and owner/name:<64 hex>', () => {
    expect(parseRemoteModelRef('stability-ai/sdxl')).toEqual({ owner: 'stability-ai', name: 'sdxl', id: 'stability-ai/sdxl' });
    expect(parseRemoteModelRef(` fixtures/echo:${HEX} `)).toEqual({ owner: 'fixtures', name: 'echo', id: 'fixtures/echo', version: HEX });
    expect(parseRemoteModelRef('catio-apps/ip_adapter-face-controlnet-realistic_vision')?.name).toBe('ip_adapter-face-controlnet-realistic_vision');
  });

  it('takes r8.im/owner/name[:<64 hex>] as Replicate model, said explicitly', () => {
    expect(parseRemoteModelRef('r8.im/stability-ai/sdxl')).toEqual({ owner: 'stability-ai', name: 'sdxl', id: 'stability-ai/sdxl', explicit: true });
    expect(parseRemoteModelRef(`r8.im/fixtures/echo:${HEX}`)).toEqual({ owner: 'fixtures', name: 'echo', id: 'fixtures/echo', version: HEX, explicit: true });
  });

  it('leaves everything else to the image path: other hosts, digests, tags, single names, ids, deeper paths', () => {
    for (const arg of [
      'r8.im/stability-ai/sdxl:latest',
      `r8.im/stability-ai/sdxl@sha256:${HEX}`,
      'docker.io/stability-ai/sdxl',
      '127.0.0.1:5100/fixtures/echo:latest',
      `fixtures/echo@sha256:${HEX}`,
      'fixtures/echo:latest',
      `fixtures/echo:${HEX.slice(1)}`,
      'ubuntu',
      HEX,
      'a/b/c',
      'Owner/Name',
      '',
    ]) {
      expect(parseRemoteModelRef(arg), arg).toBeNull();
    }
  });
});

describe('remoteImageRef', () => {
  it('is <registry>/owner/name@sha256:<version>, the registry from COGDESK_REGISTRY else r8.im', () => {
    expect(remoteImageRef({ owner: 'stability-ai', name: 'sdxl' }, HEX, {})).toBe(`r8.im/stability-ai/sdxl@sha256:${HEX}`);
    expect(remoteImageRef({ owner: 'fixtures', name: 'echo' }, HEX, { COGDESK_REGISTRY: '127.0.0.1:5100' })).toBe(`127.0.0.1:5100/fixtures/echo@sha256:${HEX}`);
  });

  it('refuses a version that is not an image digest (official models: "dp-...", "hidden")', () => {
    for (const v of ['dp-a557b7387b4940df25b23fc8d5ad2b1f', 'hidden']) {
      expect(() => remoteImageRef({ owner: 'meta', name: 'meta-llama-3-8b-instruct' }, v, {})).toThrow(/no public image to pull/);
    }
  });
});

describe('exampleInput', () => {
  const schema = recorded<{ latest_version: { openapi_schema: Record<string, unknown> } }>('models.get.stability-ai-sdxl.2024-10.json').latest_version.openapi_schema;

  it("keeps the example's input to the fields the version takes", () => {
    const example = toPrediction({ id: 'x', input: { prompt: 'a cat', width: 768, gone_in_this_version: true } });
    expect(exampleInput(example, schema)).toEqual({ prompt: 'a cat', width: 768 });
    expect(exampleInput(null, schema)).toEqual({});
  });

  it("sdxl's real default example (made with an older version) fits its latest version", () => {
    const model = toModel(recorded('models.get.stability-ai-sdxl.2024-10.json'))!;
    expect(model.defaultExample!.version).not.toBe(model.latestVersion!.id);
    const input = exampleInput(model.defaultExample, schema);
    expect(input).toMatchObject({ prompt: 'An astronaut riding a rainbow unicorn, cinematic, dramatic', width: 768, refine: 'expert_ensemble_refiner' });
  });
});

describe('reading real answers', () => {
  it('a model with nothing (mattt/empty): nulls, no exception', () => {
    expect(toModel(recorded('models.get.mattt-empty.json'))).toMatchObject({
      id: 'mattt/empty',
      description: null,
      runCount: 0,
      latestVersion: null,
      defaultExample: null,
      isOfficial: false,
      createdAt: null,
    });
  });

  it('a search result: null logs, an empty error string, extra metrics, created_at', () => {
    const m = toModel(recorded<{ results: unknown[] }>('models.search.llama.trimmed.json').results[0])!;
    expect(m.createdAt).toBe('2024-04-17T18:04:26.049832Z');
    expect(m.defaultExample).toMatchObject({ error: null, status: 'succeeded', metrics: { tokens_per_second: expect.any(Number) } });
    expect(toPrediction({ id: 'p', logs: null, status: 'succeeded' })).toMatchObject({ logs: null, input: {}, output: null });
    expect(toModel({ owner: 'a' })).toBeNull();
    expect(toModel('nonsense')).toBeNull();
  });

  it('cursors from absolute next URLs; input schemas from OpenAPI documents', () => {
    expect(cursorOf('https://api.replicate.com/v1/models?cursor=cD0yMDIz')).toBe('cD0yMDIz');
    expect(cursorOf(null)).toBeNull();
    expect(cursorOf('not a url at all ::')).toBeNull();
    expect(inputSchemaOf({ components: { schemas: { Input: { type: 'object' } } } })).toEqual({ type: 'object' });
    expect(inputSchemaOf({})).toBeNull();
  });
});
