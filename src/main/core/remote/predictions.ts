/**
 * Predictions run on Replicate with the user's token, kept in the same history as local ones: created with
 * the official client (files sent as data URIs when small, else uploaded through the files API), followed
 * through their stream URL and by polling (also after a restart or a network gone for a while), canceled,
 * and their output files downloaded into the data folder (Replicate deletes them after an hour).
 */
import type { PredictionRequest } from '../../../shared/api';
import { isTerminal, type Prediction, type PredictionSource, type RemotePredictionRef } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import type { EventBus } from '../events';
import type { HomePaths } from '../paths';
import { parseVersionSchema, type VersionSchema } from '../../../shared/schema';
import { inputRoots } from '../runner/inputs';
import { maskSecretInputs } from '../runner/secrets';
import type { Store } from '../store';
import type { Catalog } from './catalog';
import { RemoteClient } from './client';
import { CloudFollower, patchFromRemote } from './cloud-follow';
import { createFailure, noToken, notAModel } from './cloud-errors';
import { toCloudInput } from './cloud-input';
import { parseRemoteModelRef, type RemoteModelRef } from './run-remote';

type Obj = Record<string, unknown>;

export interface CloudRunDeps {
  store: Store;
  events: EventBus;
  paths: HomePaths;
  /** The API in use and the user's token. */
  catalog: Pick<Catalog, 'apiUrl' | 'tokens' | 'model' | 'version'>;
  /** For the API (through the client's guarded fetch), the stream and the output files. */
  fetch?: typeof fetch;
  /** How to wait before retries and between polls (tests pass a quick one). */
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

export interface CloudRuns {
  /** Creates the prediction on Replicate (`request.version`: `owner/name[:version id]`) and answers its record here. */
  createRemotePrediction(request: PredictionRequest): Promise<Prediction>;
  /** Keeps a prediction made on Replicate elsewhere (by its Replicate id) in the history. */
  importPrediction(replicateId: string): Promise<Prediction>;
  /** Cancels a cloud prediction (by its id here) on Replicate. */
  cancel(id: string): Promise<void>;
  /** Until it is succeeded, failed or canceled (and its output files are here). */
  wait(id: string): Promise<Prediction>;
  /** Follows the cloud predictions a previous process left unfinished. */
  resume(): void;
  close(): Promise<void>;
}

export function createCloudRuns(d: CloudRunDeps): CloudRuns {
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const plainFetch = d.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const client = new RemoteClient({ baseUrl: () => d.catalog.apiUrl(), token: () => d.catalog.tokens.forRequest(), fetch: d.fetch, sleep: d.sleep });
  const followers = new Map<string, { follower: CloudFollower; done: Promise<void> }>();
  const waiters = new Map<string, Array<(p: Prediction) => void>>();

  const ended = (p: Prediction) => {
    followers.delete(p.id);
    for (const w of waiters.get(p.id) ?? []) w(p);
    waiters.delete(p.id);
  };

  function follow(p: Prediction, streamUrl: string | null): void {
    if (followers.has(p.id) || !p.remote) return;
    const follower = new CloudFollower({ store: d.store, events: d.events, paths: d.paths, client, fetch: plainFetch, sleep, pollMs: d.pollMs }, p.id, p.remote.id, streamUrl, ended);
    const done = follower.run().catch(() => undefined);
    followers.set(p.id, { follower, done });
  }

  /** The version's schema (the catalog caches it), to keep secret inputs masked in the history; null when unknown. */
  async function schemaOf(ref: RemoteModelRef): Promise<VersionSchema | null> {
    try {
      const model = (await d.catalog.model(ref.id)).data;
      const version = ref.version && ref.version !== model.latestVersion?.id ? (await d.catalog.version(ref.id, ref.version)).data : model.latestVersion;
      return version?.openapiSchema ? parseVersionSchema(version.openapiSchema) : null;
    } catch {
      return null; // the create says what is wrong, if anything
    }
  }

  async function token(doing: string): Promise<void> {
    if (!(await d.catalog.tokens.forRequest())) throw noToken(doing);
  }

  /** The record of a prediction body of Replicate's (create, get), kept once per Replicate id. */
  function keep(body: Obj, input: Record<string, unknown>, source: PredictionSource): { prediction: Prediction; streamUrl: string | null } {
    const urls = (body.urls ?? {}) as Obj;
    const remote: RemotePredictionRef = {
      id: String(body.id),
      webUrl: typeof urls.web === 'string' ? urls.web : null,
      model: String(body.model ?? ''),
      version: typeof body.version === 'string' ? body.version : null,
    };
    const streamUrl = typeof urls.stream === 'string' ? urls.stream : null;
    const patch = patchFromRemote(body);
    const record = d.store.predictions.createRemote({
      remote,
      versionId: remote.version ?? '',
      status: patch.status ?? 'starting',
      input,
      source,
      createdAt: typeof body.created_at === 'string' ? body.created_at : new Date().toISOString(),
      streamUrl,
    });
    return { prediction: record, streamUrl };
  }

  return {
    async createRemotePrediction(request) {
      if (!request || typeof request.version !== 'string' || !request.input || typeof request.input !== 'object' || Array.isArray(request.input)) {
        throw new CogdeskError({
          code: 'bad_request',
          message: 'A prediction on Replicate needs a model (owner/name[:version id]) and an input object',
          hint: 'Example: {"version": "owner/name", "input": {"prompt": "hello"}, "on": "replicate"}',
        });
      }
      const ref = parseRemoteModelRef(request.version);
      if (!ref) throw notAModel(request.version);
      await token(`run ${ref.id} on Replicate`);
      const source = request.source ?? 'app';
      // Secrets go to the model, never into the history (as for a run here); read before the create, so
      // nothing stands between Replicate's answer and the record of it.
      const schema = await schemaOf(ref);
      const sent = await toCloudInput(request.input, source === 'cli' ? undefined : await inputRoots(d.paths));
      let body: Obj;
      try {
        body = (await client.call({ doing: `run ${ref.id} on Replicate`, notFound: `No model ${ref.id} on Replicate` }, (r) => {
          r.fileEncodingStrategy = sent.strategy;
          return r.predictions.create({ version: ref.version ? `${ref.id}:${ref.version}` : ref.id, input: sent.input });
        })) as unknown as Obj;
      } catch (e) {
        throw createFailure(e, ref.version ? `${ref.id}:${ref.version}` : ref.id);
      }
      const { prediction, streamUrl } = keep(body, schema ? maskSecretInputs(schema, request.input) : request.input, source);
      d.events.emit('prediction', prediction);
      follow(prediction, streamUrl);
      return prediction;
    },

    async importPrediction(replicateId) {
      const id = typeof replicateId === 'string' ? replicateId.trim() : '';
      if (!/^[a-z0-9]{8,64}$/.test(id)) {
        throw new CogdeskError({ code: 'bad_request', message: `"${replicateId}" is not a Replicate prediction id`, hint: 'Copy the id from the prediction\'s page on replicate.com (replicate.com/p/ID) or from the API.' });
      }
      const known = d.store.predictions.getByRemoteId(id);
      if (known) return known;
      await token(`import prediction ${id} from Replicate`);
      const body = (await client.call({ doing: `get the prediction ${id}`, notFound: `Replicate has no prediction ${id} for this token` }, (r) => r.predictions.get(id))) as unknown as Obj;
      const { prediction } = keep(body, (body.input as Record<string, unknown>) ?? {}, 'api');
      // Its state and output files come by the same road as a run's (polling, no stream: it may be long over).
      follow(prediction, null);
      return prediction;
    },

    async cancel(id) {
      const p = d.store.predictions.get(id);
      if (!p?.remote) throw new CogdeskError({ code: 'not_found', message: `No prediction on Replicate with id ${id}`, hint: 'List the runs on Replicate with: cogdesk predictions list --on replicate' });
      if (isTerminal(p.status)) return;
      const body = (await client.call({ doing: `cancel the prediction ${p.remote.id} on Replicate`, notFound: `Replicate no longer has prediction ${p.remote.id}` }, (r) =>
        r.predictions.cancel(p.remote!.id),
      )) as unknown as Obj;
      const patch = patchFromRemote(body);
      // The follower ends it (downloading whatever it made); until then the answer shows it canceled.
      if (patch.status && isTerminal(patch.status)) d.events.emit('prediction', { ...p, status: patch.status });
      follow(p, null);
    },

    async wait(id) {
      const p = d.store.predictions.get(id);
      if (!p) throw new CogdeskError({ code: 'not_found', message: `No prediction with id ${id}`, hint: 'List the predictions kept here with: cogdesk predictions list' });
      if (!followers.has(id)) {
        const unsynced = d.store.predictions.remoteUnsynced().find((u) => u.prediction.id === id);
        if (!unsynced) return p;
        follow(unsynced.prediction, unsynced.streamUrl);
      }
      return new Promise<Prediction>((resolve) => waiters.set(id, [...(waiters.get(id) ?? []), resolve]));
    },

    resume() {
      for (const u of d.store.predictions.remoteUnsynced()) follow(u.prediction, u.streamUrl);
    },

    async close() {
      const all = [...followers.values()];
      followers.clear();
      for (const f of all) f.follower.stop();
      await Promise.all(all.map((f) => f.done));
      // Whoever waits gets the record as it is: a later Cogdesk follows it on from there.
      for (const [id, list] of waiters) {
        const p = d.store.predictions.get(id);
        if (p) for (const w of list) w(p);
      }
      waiters.clear();
    },
  };
}
