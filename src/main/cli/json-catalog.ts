/**
 * What the catalog commands print with `--json` (`search`, `explore`, `collections`, `model OWNER/NAME`,
 * `account`): Replicate's own shapes (the model, version, prediction, collection, search and account objects
 * of replicate-openapi.json, snake_case), with every timestamp in the one format of every `--json`
 * (json-time.ts). Around them, Cogdesk's cache note in snake_case: `{data, from_cache, fetched_at, notice?}`.
 */
import type {
  Cached,
  CatalogPage,
  CollectionSummary,
  ModelPage,
  RemoteAccount,
  RemoteCollection,
  RemoteModel,
  RemotePrediction,
  RemoteVersion,
  SearchResults,
  TokenStatus,
} from '../../shared/catalog';
import type { Fit } from '../../shared/hardware';
import { iso } from './json-time';

export interface CliCached<T> {
  data: T;
  /** True when Replicate could not be asked and the cache here answered. */
  from_cache: boolean;
  fetched_at: string;
  notice?: string;
}

export function cliCached<T, U>(c: Cached<T>, data: (d: T) => U): CliCached<U> {
  return { data: data(c.data), from_cache: c.fromCache, fetched_at: iso(c.fetchedAt), ...(c.notice ? { notice: c.notice } : {}) };
}

/** As Replicate's clients need it: `cog_version` a string, `openapi_schema` an object (the cache keeps null for none). */
export const remoteVersion = (v: RemoteVersion) => ({ id: v.id, created_at: iso(v.createdAt), cog_version: v.cogVersion ?? '', openapi_schema: v.openapiSchema ?? {} });

export const remotePrediction = (p: RemotePrediction) => ({
  id: p.id,
  model: p.model,
  version: p.version,
  status: p.status,
  input: p.input,
  output: p.output,
  error: p.error,
  logs: p.logs,
  created_at: iso(p.createdAt),
  started_at: iso(p.startedAt),
  completed_at: iso(p.completedAt),
  metrics: p.metrics,
});

export const remoteModel = (m: RemoteModel) => ({
  url: m.url,
  owner: m.owner,
  name: m.name,
  description: m.description,
  visibility: m.visibility,
  github_url: m.githubUrl,
  paper_url: m.paperUrl,
  license_url: m.licenseUrl,
  cover_image_url: m.coverImageUrl,
  is_official: m.isOfficial,
  run_count: m.runCount,
  created_at: iso(m.createdAt),
  default_example: m.defaultExample ? remotePrediction(m.defaultExample) : null,
  latest_version: m.latestVersion ? remoteVersion(m.latestVersion) : null,
});

const collectionSummary = (c: CollectionSummary) => ({ slug: c.slug, name: c.name, description: c.description });

/** `search --json`: Replicate's search answer (`metadata` per model), and who answered (`source`, Cogdesk's). */
export const cliSearch = (r: Cached<SearchResults>) =>
  cliCached(r, (s) => ({
    query: s.query,
    source: s.source,
    models: s.models.map((h) => ({ model: remoteModel(h.model), metadata: { tags: h.tags, generated_description: h.generatedDescription, score: h.score } })),
    collections: s.collections.map((c) => ({ ...collectionSummary(c), models: c.models })),
    pages: s.pages.map((p) => ({ name: p.name, href: p.href })),
  }));

/** `explore --json`: a page of models; `next` is the cursor `--cursor` takes. */
export const cliExplore = (r: Cached<CatalogPage<RemoteModel>>) => cliCached(r, (p) => ({ results: p.items.map(remoteModel), next: p.next }));

export const cliCollections = (r: Cached<CollectionSummary[]>) => cliCached(r, (list) => list.map(collectionSummary));

export const cliCollection = (r: Cached<RemoteCollection>) =>
  cliCached(r, (c) => ({ ...collectionSummary(c), full_description: c.fullDescription, models: c.models.map(remoteModel) }));

const fit = (f: Fit) => ({ kind: f.kind, reason: f.reason, required_gb: f.requiredGB, required_count: f.requiredCount, sentence: f.sentence });

/** `model OWNER/NAME --json`: the model, its README, versions, examples and input schema; `fit` for this machine. */
export const cliModelPage = (r: Cached<ModelPage>, f: Fit | null) => ({
  ...cliCached(r, (p) => ({
    model: remoteModel(p.model),
    readme: p.readme,
    versions: p.versions.map(remoteVersion),
    examples: p.examples.map(remotePrediction),
    input_schema: p.inputSchema,
  })),
  fit: f ? fit(f) : null,
});

/** `account --json`: Replicate's account object; `token` says where the token came from (never the token). */
export const cliAccount = (r: Cached<RemoteAccount>, token: TokenStatus) => ({
  ...cliCached(r, (a) => ({ type: a.type, username: a.username, name: a.name, github_url: a.githubUrl, avatar_url: a.avatarUrl })),
  token: { present: token.present, source: token.source, ...(token.note ? { note: token.note } : {}) },
});
