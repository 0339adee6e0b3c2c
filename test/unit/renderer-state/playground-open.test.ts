/**
 * The Playground's store (src/renderer/src/state/playground.ts) over a bridge that answers when the test says:
 * the form shown is the last model asked for. Opening the Playground asks for the first model; a pick made
 * before that answer arrives must not be replaced by it (a fill in the picked form would be lost).
 * Type-checked with the window's code (tsconfig.web.json): the store uses `window`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Version } from '../../../src/shared/domain';

const schema = (field: string) => ({
  components: {
    schemas: {
      Input: { type: 'object', properties: { [field]: { type: 'string', 'x-order': 0 } } },
      Output: { type: 'string' },
    },
  },
});
const version = (modelId: string, field: string): Version => ({
  id: `${modelId}-v1`,
  modelId,
  imageRef: `r8.im/${modelId}@sha256:x`,
  imageId: 'sha256:x',
  cogVersion: '0.15.5',
  openapiSchema: schema(field),
  cogConfig: null,
  legacyLabels: false,
  sizeBytes: 1,
  createdAt: '2026-12-01T00:00:00Z',
});

/** getVersion answers only when release(id) is called; everything else at once. */
const held = new Map<string, () => void>();
const ok = (value: unknown) => ({ ok: true, value });
const bridge = {
  on: () => () => {},
  listModels: async () => ok([{ id: 'acme/first' }, { id: 'acme/picked' }]),
  listVersions: async (modelId: string) => ok([{ id: `${modelId}-v1` }]),
  listExamples: async () => ok([]),
  validateInput: async () => ok([]),
  getVersion: (id: string) => new Promise((resolve) => held.set(id, () => resolve(ok(version(id.replace(/-v1$/, ''), id.startsWith('acme/first') ? 'prompt' : 'text'))))),
};

let usePlayground: typeof import('../../../src/renderer/src/state/playground').usePlayground;
beforeAll(async () => {
  vi.stubGlobal('window', { cogdesk: bridge });
  ({ usePlayground } = await import('../../../src/renderer/src/state/playground'));
});
afterAll(() => vi.unstubAllGlobals());

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('opening the Playground, then picking a model before the first form arrives', () => {
  it('shows the picked model, whichever answer comes last', async () => {
    const pg = usePlayground.getState();
    const first = pg.open({ page: 'playground' });
    await until(() => held.has('acme/first-v1'));
    const picked = pg.open({ page: 'playground', modelId: 'acme/picked' });
    await until(() => held.has('acme/picked-v1'));

    held.get('acme/picked-v1')!();
    await picked;
    usePlayground.getState().setDraft('text', "it's a fox");
    held.get('acme/first-v1')!(); // the slow answer for the model shown first
    await first;

    const now = usePlayground.getState();
    expect(now.modelId).toBe('acme/picked');
    expect(now.fields.map((f) => f.name)).toEqual(['text']);
    expect(now.drafts.text).toBe("it's a fox");
    expect(now.loading).toBe(false);
  });
});
