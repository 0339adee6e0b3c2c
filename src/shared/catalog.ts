/**
 * Replicate's catalog as Cogdesk shows it: public models, collections, search results, a model's page.
 * Plain data (it crosses IPC, the CLI's --json and the cache); names follow the domain (camelCase), values
 * are what Replicate's API answered.
 */

/** Something read from Replicate's API, or from the local cache of an earlier answer. */
export interface Cached<T> {
  data: T;
  /** True when the API could not be asked (offline, throttled, a server error) and the cache answered. */
  fromCache: boolean;
  /** When the data was fetched from the API (ISO 8601); for a page made of several answers, the oldest. */
  fetchedAt: string;
  /** Why the cache answered, in words a person can act on (absent when the data is fresh). */
  notice?: string;
}

export interface RemoteVersion {
  /** 64 hex for a Cog image (its digest); official models use other ids ("dp-...", "hidden"). */
  id: string;
  createdAt: string | null;
  cogVersion: string | null;
  /** The version's OpenAPI schema as Replicate serves it; null when the answer had none. */
  openapiSchema: Record<string, unknown> | null;
}

/** A prediction as Replicate shows it on a model page (the default example, the examples). */
export interface RemotePrediction {
  id: string;
  model: string | null;
  version: string | null;
  status: string;
  input: Record<string, unknown>;
  output: unknown;
  error: string | null;
  logs: string | null;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  metrics: Record<string, unknown> | null;
}

export interface RemoteModel {
  /** `owner/name` */
  id: string;
  owner: string;
  name: string;
  /** The model's page on replicate.com. */
  url: string | null;
  description: string | null;
  visibility: 'public' | 'private' | null;
  isOfficial: boolean;
  githubUrl: string | null;
  paperUrl: string | null;
  licenseUrl: string | null;
  coverImageUrl: string | null;
  runCount: number | null;
  createdAt: string | null;
  latestVersion: RemoteVersion | null;
  defaultExample: RemotePrediction | null;
}

/** A page of a list; `next` is the cursor of the following page (null at the end). */
export interface CatalogPage<T> {
  items: T[];
  next: string | null;
}

export interface CollectionSummary {
  slug: string;
  name: string;
  description: string;
}

export interface RemoteCollection extends CollectionSummary {
  /** Markdown. */
  fullDescription: string | null;
  models: RemoteModel[];
}

export interface SearchHit {
  model: RemoteModel;
  tags: string[];
  generatedDescription: string | null;
  score: number | null;
}

export interface SearchResults {
  query: string;
  /**
   * Who answered: Replicate's search endpoint, its model search (`QUERY /models`, when the search endpoint
   * failed), or the full-text index over the models cached on this machine (offline).
   */
  source: 'search' | 'models' | 'local';
  models: SearchHit[];
  collections: Array<CollectionSummary & { models: string[] }>;
  /** Documentation pages (`href` is a path on replicate.com). */
  pages: Array<{ name: string; href: string }>;
}

/** What a model's page shows. */
export interface ModelPage {
  model: RemoteModel;
  /** README Markdown, null when the model has none (never sanitized here: the renderer must sanitize it). */
  readme: string | null;
  /** Newest first (the first page the API gives). */
  versions: RemoteVersion[];
  examples: RemotePrediction[];
  /** The latest version's input schema (`components.schemas.Input`), null when unknown. */
  inputSchema: Record<string, unknown> | null;
}

export interface RemoteHardware {
  sku: string;
  name: string;
}

export interface RemoteAccount {
  type: 'user' | 'organization' | string;
  username: string;
  name: string | null;
  githubUrl: string | null;
  avatarUrl: string | null;
}

/** Where the API token comes from; the token itself never crosses the contract. */
export interface TokenStatus {
  present: boolean;
  /** e.g. "REPLICATE_API_TOKEN", "/home/me/.config/Cogdesk/replicate-token", "safeStorage". */
  source: string | null;
  /** Why a kept token is not used for the API in use now ("entered for api.replicate.com; enter it again for <host>"). */
  note?: string;
}
