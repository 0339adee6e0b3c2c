/**
 * Replicate's answers (snake_case JSON) turned into the catalog's types. Tolerant on purpose: real answers
 * leave keys out, send null where the published schema says string (`logs`), add keys it does not declare
 * (`created_at`, `weights_url`, `webhook_completed`), and use version ids that are not 64 hex for official
 * models. Anything missing or of the wrong type becomes null, never an exception.
 */
import type {
  CollectionSummary,
  RemoteAccount,
  RemoteCollection,
  RemoteHardware,
  RemoteModel,
  RemotePrediction,
  RemoteVersion,
} from '../../../shared/catalog';

type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const HEX64 = /^[a-f0-9]{64}$/;

export function toVersion(raw: unknown): RemoteVersion | null {
  if (!isObj(raw) || typeof raw.id !== 'string') return null;
  return {
    id: raw.id,
    createdAt: str(raw.created_at),
    cogVersion: str(raw.cog_version),
    openapiSchema: isObj(raw.openapi_schema) && Object.keys(raw.openapi_schema).length > 0 ? raw.openapi_schema : null,
  };
}

export function toPrediction(raw: unknown): RemotePrediction | null {
  if (!isObj(raw) || typeof raw.id !== 'string') return null;
  return {
    id: raw.id,
    model: str(raw.model),
    version: str(raw.version),
    status: str(raw.status) ?? 'unknown',
    input: isObj(raw.input) ? raw.input : {},
    output: raw.output ?? null,
    // An empty error string (seen in real answers) means no error.
    error: str(raw.error) || null,
    logs: str(raw.logs),
    createdAt: str(raw.created_at),
    startedAt: str(raw.started_at),
    completedAt: str(raw.completed_at),
    metrics: isObj(raw.metrics) ? raw.metrics : null,
  };
}

export function toModel(raw: unknown): RemoteModel | null {
  if (!isObj(raw) || typeof raw.owner !== 'string' || typeof raw.name !== 'string') return null;
  const visibility = raw.visibility === 'public' || raw.visibility === 'private' ? raw.visibility : null;
  return {
    id: `${raw.owner}/${raw.name}`,
    owner: raw.owner,
    name: raw.name,
    url: str(raw.url),
    description: str(raw.description),
    visibility,
    isOfficial: raw.is_official === true,
    githubUrl: str(raw.github_url),
    paperUrl: str(raw.paper_url),
    licenseUrl: str(raw.license_url),
    coverImageUrl: str(raw.cover_image_url),
    runCount: num(raw.run_count),
    createdAt: str(raw.created_at),
    latestVersion: toVersion(raw.latest_version),
    defaultExample: toPrediction(raw.default_example),
  };
}

export function toCollectionSummary(raw: unknown): CollectionSummary | null {
  if (!isObj(raw) || typeof raw.slug !== 'string') return null;
  return { slug: raw.slug, name: str(raw.name) ?? raw.slug, description: str(raw.description) ?? '' };
}

export function toCollection(raw: unknown, models: RemoteModel[]): RemoteCollection | null {
  const summary = toCollectionSummary(raw);
  if (!summary || !isObj(raw)) return null;
  return { ...summary, fullDescription: str(raw.full_description), models };
}

export function toHardware(raw: unknown): RemoteHardware[] {
  return (Array.isArray(raw) ? raw : []).flatMap((h) =>
    isObj(h) && typeof h.sku === 'string' ? [{ sku: h.sku, name: str(h.name) ?? h.sku }] : [],
  );
}

export function toAccount(raw: unknown): RemoteAccount | null {
  if (!isObj(raw) || typeof raw.username !== 'string') return null;
  return {
    type: str(raw.type) ?? 'user',
    username: raw.username,
    name: str(raw.name),
    githubUrl: str(raw.github_url),
    avatarUrl: str(raw.avatar_url),
  };
}

export function list<T>(raw: unknown, map: (item: unknown) => T | null): T[] {
  const items = isObj(raw) && Array.isArray(raw.results) ? raw.results : Array.isArray(raw) ? raw : [];
  return items.flatMap((item) => {
    const v = map(item);
    return v === null ? [] : [v];
  });
}

/** The cursor of a `next` URL (`https://api.replicate.com/v1/models?cursor=...`); null at the end. */
export function cursorOf(next: unknown): string | null {
  if (typeof next !== 'string' || !next) return null;
  try {
    return new URL(next, 'https://api.replicate.com/v1/').searchParams.get('cursor');
  } catch {
    return null;
  }
}

/** A version's input schema (`components.schemas.Input`), when the OpenAPI document has one. */
export function inputSchemaOf(openapi: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  const components = isObj(openapi) ? openapi.components : undefined;
  const schemas = isObj(components) ? components.schemas : undefined;
  return isObj(schemas) && isObj(schemas.Input) ? schemas.Input : null;
}
