/**
 * A model's page in one answer: the model, its README, versions, examples and the latest version's input
 * schema. A part Replicate has not got (404) is empty; a part that neither Replicate nor the cache can give
 * is left out, and the page's one notice says why and which.
 */
import type { Cached, ModelPage, RemoteModel, RemotePrediction, RemoteVersion } from '../../../shared/catalog';
import { oldest } from './catalog-context';
import { isRemoteError, UNREACHABLE } from './remote-error';
import { inputSchemaOf } from './shapes';

/** The catalog's answers a page is made of (the catalog itself). */
export interface PageParts {
  model(ref: string): Promise<Cached<RemoteModel>>;
  readme(ref: string): Promise<Cached<string | null>>;
  versions(ref: string): Promise<Cached<RemoteVersion[]>>;
  examples(ref: string): Promise<Cached<RemotePrediction[]>>;
}

export async function modelPage(catalog: PageParts, ref: string, now: () => string): Promise<Cached<ModelPage>> {
  const model = await catalog.model(ref);
  // One notice for the page: why the cache answered (the first reason), and which parts it lacked.
  let reason = model.notice ?? null;
  const missing: string[] = [];
  const part = async <T>(what: string, get: () => Promise<Cached<T>>, empty: T): Promise<Cached<T> | null> => {
    try {
      const got = await get();
      reason ??= got.notice ?? null;
      return got;
    } catch (e) {
      if (isRemoteError(e, 'not_found')) return { data: empty, fromCache: false, fetchedAt: now() };
      if (isRemoteError(e, ...UNREACHABLE)) {
        reason ??= e.message;
        missing.push(what);
        return null;
      }
      throw e;
    }
  };
  const [readme, versions, examples] = await Promise.all([
    part('the README', () => catalog.readme(ref), null as string | null),
    part('the versions', () => catalog.versions(ref), [] as RemoteVersion[]),
    part('the examples', () => catalog.examples(ref), [] as RemotePrediction[]),
  ]);
  const notices = reason ? [reason] : [];
  const order = ['the README', 'the versions', 'the examples'];
  missing.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  if (missing.length) notices.push(`Not cached yet, so not shown: ${missing.join(', ')}.`);
  const parts = [model, readme, versions, examples].flatMap((p) => (p ? [{ fromCache: p.fromCache, fetchedAt: p.fetchedAt }] : []));
  let latest = model.data.latestVersion;
  if (latest && !latest.openapiSchema) {
    const full = versions?.data.find((v) => v.id === latest!.id);
    if (full?.openapiSchema) latest = { ...latest, openapiSchema: full.openapiSchema };
  }
  const page: ModelPage = {
    model: { ...model.data, latestVersion: latest },
    readme: readme?.data ?? null,
    versions: versions?.data ?? [],
    examples: examples?.data ?? [],
    inputSchema: inputSchemaOf(latest?.openapiSchema),
  };
  const result: Cached<ModelPage> = {
    data: page,
    fromCache: parts.some((p) => p.fromCache) || parts.length < 4,
    fetchedAt: oldest(
      parts.map((p) => p.fetchedAt),
      now(),
    ),
  };
  if (notices.length) result.notice = notices.join(' ');
  return result;
}
