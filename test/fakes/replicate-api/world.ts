/**
 * What the fake Replicate API knows: real recorded answers (recorded/, from replicate-python's cassettes)
 * plus a fake model `fixtures/echo` whose versions point at the fixture images in the test registry, so
 * `127.0.0.1:5100/fixtures/echo@sha256:<latest version id>` really pulls.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Obj = Record<string, unknown>;

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
export const RECORDED_DIR = join(HERE, 'recorded');
export const OPENAPI_PATH = join(HERE, '..', '..', 'fixtures', 'replicate-openapi.json');

export function recorded<T = Obj>(file: string): T {
  return JSON.parse(readFileSync(join(RECORDED_DIR, file), 'utf8')) as T;
}

export interface FakeCollection {
  name: string;
  slug: string;
  description: string;
  full_description: string | null;
  models: string[];
}

export interface FakeWorld {
  /** Full model objects (GET /models/{owner}/{name}), by `owner/name`. */
  models: Map<string, Obj>;
  /** Versions, newest first, by `owner/name`. */
  versions: Map<string, Obj[]>;
  readmes: Map<string, string>;
  examples: Map<string, Obj[]>;
  collections: FakeCollection[];
  /** Collections listed by GET /collections without being fetchable (the recording lists 19). */
  listedCollections: Array<{ name: string; slug: string; description: string }>;
  searchMetadata: Map<string, { tags: string[]; generated_description: string | null }>;
  hardware: Obj[];
  account: Obj;
}

export interface EchoFixture {
  /** The echo fixture's manifest digest, without `sha256:`: the fake model's latest version id. */
  versionId: string;
}

/** A version id whose image no registry has: an older version of fixtures/echo whose image is gone. */
export const GONE_VERSION_ID = 'dead'.repeat(16);

export const ECHO_README = `# echo

A fixture Cog model for Cogdesk's tests: it says **hello** and repeats your text.

\`\`\`
cog predict -i text=world -i times=3
\`\`\`

Inputs: \`text\`, \`times\` (1 to 10) and \`style\` (plain or shout).
`;

const SDXL_README = `# SDXL

A text-to-image generative AI model that creates beautiful images. See the [paper](https://arxiv.org/abs/2307.01952).
`;

function prediction(id: string, model: string, version: string, input: Obj, output: unknown, createdAt: string): Obj {
  // The 2024 shape of a model's example: data_removed and output present, urls without `web` (no recording
  // has urls.web), webhook null.
  return {
    completed_at: createdAt.replace(/\.\d+Z$/, '.900000Z'),
    created_at: createdAt,
    data_removed: false,
    error: null,
    id,
    input,
    logs: `predicting text=${JSON.stringify(input.text)} times=${String(input.times ?? 2)}\n`,
    metrics: { predict_time: 0.012345, total_time: 0.5 },
    model,
    output,
    started_at: createdAt.replace(/\.\d+Z$/, '.500000Z'),
    status: 'succeeded',
    urls: {
      get: `https://api.replicate.com/v1/predictions/${id}`,
      cancel: `https://api.replicate.com/v1/predictions/${id}/cancel`,
    },
    version,
    webhook: null,
  };
}

export function buildWorld(echo: EchoFixture): FakeWorld {
  const models = new Map<string, Obj>();
  const versions = new Map<string, Obj[]>();
  const readmes = new Map<string, string>();
  const examples = new Map<string, Obj[]>();
  const searchMetadata = new Map<string, { tags: string[]; generated_description: string | null }>();
  const add = (m: Obj) => models.set(`${m.owner as string}/${m.name as string}`, m);

  // --- fixtures/echo: the model that really runs ---
  const echoSchema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'cog-images', 'echo', 'openapi.json'), 'utf8')) as Obj;
  const latest = { id: echo.versionId, created_at: '2025-06-01T12:00:00.000000Z', cog_version: '0.15.5', openapi_schema: echoSchema };
  const older = { id: GONE_VERSION_ID, created_at: '2025-01-15T08:30:00.000000Z', cog_version: '0.15.5', openapi_schema: echoSchema };
  const defaultExample = prediction(
    'ex1echoworld000000000000a',
    'fixtures/echo',
    echo.versionId,
    { text: 'world', times: 3 },
    'hello world world world',
    '2025-06-02T10:00:00.000000Z',
  );
  const secondExample = prediction(
    'ex2echoshout000000000000b',
    'fixtures/echo',
    echo.versionId,
    { text: 'again', times: 2, style: 'shout' },
    'hello AGAIN AGAIN',
    '2025-06-03T10:00:00.000000Z',
  );
  add({
    cover_image_url: 'https://tjzk.replicate.delivery/models_models_cover_image/echo/cover.png',
    created_at: '2025-01-15T08:00:00.000000Z',
    default_example: defaultExample,
    description: 'Echoes your text back, a few times over: a fixture Cog model',
    github_url: 'https://github.com/cogdesk/fixtures',
    latest_version: latest,
    license_url: 'https://www.apache.org/licenses/LICENSE-2.0',
    name: 'echo',
    owner: 'fixtures',
    paper_url: null,
    run_count: 1234,
    url: 'https://replicate.com/fixtures/echo',
    visibility: 'public',
  });
  versions.set('fixtures/echo', [latest, older]);
  readmes.set('fixtures/echo', ECHO_README);
  examples.set('fixtures/echo', [defaultExample, secondExample]);
  searchMetadata.set('fixtures/echo', { tags: ['text', 'echo', 'fixture'], generated_description: 'Repeats a text several times, optionally shouting it.' });

  // --- recorded models ---
  const sdxl = recorded('models.get.stability-ai-sdxl.2024-10.json');
  add(sdxl);
  versions.set('stability-ai/sdxl', [
    recorded('models.versions.get.stability-ai-sdxl-7762fd07.2024-10.json'),
    recorded('models.versions.get.stability-ai-sdxl-39ed52f2.json'),
  ]);
  readmes.set('stability-ai/sdxl', SDXL_README);
  const sdxlExample = sdxl.default_example as Obj;
  examples.set('stability-ai/sdxl', [{ ...sdxlExample }]);
  searchMetadata.set('stability-ai/sdxl', { tags: ['text-to-image', 'image'], generated_description: 'Generates images from text prompts.' });

  const llama = recorded('models.get.meta-llama-2-70b-chat.json');
  add(llama);
  versions.set('meta/llama-2-70b-chat', [recorded('models.versions.get.meta-llama-2-70b-chat-02e509c7.json')]);

  add(recorded('models.get.mattt-empty.json'));
  versions.set('mattt/empty', []);

  for (const m of recorded<{ results: Obj[] }>('models.list.page1.trimmed.json').results) add(m);
  for (const m of recorded<{ results: Obj[] }>('models.search.llama.trimmed.json').results) add(m);
  const t2i = recorded<Obj & { models: Obj[] }>('collections.get.text-to-image.trimmed.json');
  for (const m of t2i.models) add(m);
  for (const [id, m] of models) {
    if (!versions.has(id)) versions.set(id, m.latest_version ? [m.latest_version as Obj] : []);
    if (!examples.has(id)) examples.set(id, m.default_example ? [m.default_example as Obj] : []);
  }

  const listed = recorded<{ results: Array<{ name: string; slug: string; description: string }> }>('collections.list.json').results;
  const collections: FakeCollection[] = [
    {
      name: t2i.name as string,
      slug: t2i.slug as string,
      description: t2i.description as string,
      full_description: null,
      models: t2i.models.map((m) => `${m.owner as string}/${m.name as string}`),
    },
    {
      name: 'Cogdesk fixtures',
      slug: 'cogdesk-fixtures',
      description: 'Small models that run anywhere, for trying Cogdesk',
      full_description: 'Models made for **testing**: they start in seconds.',
      models: ['fixtures/echo', 'mattt/empty'],
    },
  ];
  return {
    models,
    versions,
    readmes,
    examples,
    collections,
    listedCollections: [...listed, { name: 'Cogdesk fixtures', slug: 'cogdesk-fixtures', description: 'Small models that run anywhere, for trying Cogdesk' }],
    searchMetadata,
    hardware: recorded<Obj[]>('hardware.list.json'),
    account: { ...recorded('account.get.js-fixture.json'), username: 'cogdesk-tester', name: 'Cogdesk Tester', type: 'user' },
  };
}
