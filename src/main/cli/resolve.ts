/**
 * What `run` and `pull` do with their first argument, through the one resolver (core/library/resolve-name.ts):
 * a local model, version or image answers at once; Replicate's `owner/name[:version]` (a short version too)
 * is pulled from Replicate; anything else is an image reference for Docker.
 */
import type { PullProgress, Version } from '../../shared/domain';
import { CogdeskError } from '../../shared/errors';
import type { Core } from '../core';
import { notFound } from '../core/library/not-found';
import type { Store } from '../core/store';
import { AmbiguousNameError, resolveLocalModel, resolveName } from '../core/library/resolve-name';
import type { RemoteResolution } from '../core/remote';
import { catalogFor, resolveRemoteArg } from './catalog';
import { refuseNonCogBeforePull } from './pre-pull';
import type { RunningServer } from '../core/api-server/server-record';
import { pullInServer } from './server-api';

export interface Resolved {
  /** What to hand to ensureVersion / runCommand: a version id, or the image reference to pull. */
  ref: string;
  /** Set when the library had it. */
  local?: Version;
  remote: RemoteResolution | null;
}

/** Expands Replicate's short version id `owner/name:abc123` through its versions list. */
async function expandVersionPrefix(core: Core, id: string, prefix: string): Promise<string> {
  const versions = (await (await catalogFor(core)).versions(id)).data.filter((v) => v.id.startsWith(prefix));
  if (versions.length === 1) return versions[0].id;
  if (versions.length > 1) throw new AmbiguousNameError(`${id}:${prefix}`, versions.map((v) => v.id.slice(0, 12)), 'versions');
  throw new CogdeskError({ code: 'not_found', message: `${id} has no version starting with ${prefix}`, hint: `See its versions: cogdesk model ${id}` });
}

export async function resolveArg(
  core: Core,
  arg: string,
  o: { onProgress?: (p: PullProgress) => void; example?: string; server?: RunningServer | null } = {},
): Promise<Resolved> {
  const r = resolveName(core.store.library, arg);
  if (r.kind === 'local') return { ref: r.version.id, local: r.version, remote: null };
  if (r.kind === 'image') {
    await refuseNonCogBeforePull(core, r.ref);
    return { ref: r.ref, remote: null };
  }
  let remoteArg = arg.trim();
  if (r.versionPrefix) remoteArg = `${r.explicit ? 'r8.im/' : ''}${r.id}:${await expandVersionPrefix(core, r.id, r.versionPrefix)}`;
  else if (r.version) remoteArg = `${r.explicit ? 'r8.im/' : ''}${r.id}:${r.version}`;
  // With a Cogdesk running, it pulls the image (the window sees it); the history and library are one.
  const server = o.server;
  const pullImage = server ? (ref: string, p: { onProgress?: (p: PullProgress) => void }) => pullInServer(server, ref, { always: true, onProgress: p.onProgress }) : undefined;
  const remote = await resolveRemoteArg(core, remoteArg, { onProgress: o.onProgress, example: o.example, pullImage });
  if (remote) return { ref: remote.ref, local: remote.version, remote };
  // Replicate could not say (offline, no token, not there): what is here answers to the name.
  if (r.local) return { ref: r.local.id, local: r.local, remote: null };
  return { ref: remoteArg, remote: null };
}

/** `run MODEL --example ID` for a model here: the input of that example kept here (cogdesk examples list MODEL). */
export async function localExampleInput(core: Core, resolved: Resolved, exampleId: string): Promise<Record<string, unknown>> {
  if (!resolved.local) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `--example needs a model that is here or on Replicate; "${resolved.ref}" is neither yet`,
      hint: `Pull it first (cogdesk pull ${resolved.ref}); then its examples are: cogdesk examples list MODEL`,
    });
  }
  const examples = await core.listExamples(resolved.local.modelId);
  const found = examples.find((e) => e.predictionId === exampleId) ?? examples.find((e) => e.predictionId.startsWith(exampleId));
  if (!found) {
    throw new CogdeskError({
      code: 'not_found',
      message: `${resolved.local.modelId} has no example ${exampleId}`,
      hint: examples.length ? `Its examples: ${examples.map((e) => e.predictionId).join(', ')}` : `It has none yet; add one with: cogdesk examples add PREDICTION_ID`,
    });
  }
  return found.prediction.input;
}

/**
 * The model id a `--model` filter or a MODEL argument names: a local model (any name the resolver takes), or
 * a model id the history still has (its versions removed since). Anything else is an error, not an empty list.
 */
export function modelArg(store: Store, name: string, o: { orInHistory?: boolean } = {}): string {
  const model = resolveLocalModel(store.library, name);
  if (model) return model.id;
  if (o.orInHistory && store.predictions.list({ modelId: name.trim(), limit: 1 }).length > 0) return name.trim();
  throw new CogdeskError({
    code: 'not_found',
    message: `No local model "${name.trim()}"${o.orInHistory ? ' here or in the history' : ''}`,
    hint: 'List the local models with: cogdesk models',
  });
}

/** The id of the local model a name stands for; else an error that says so (as the core's listExamples does). */
export function localModelId(store: Store, name: string): string {
  const model = resolveLocalModel(store.library, name);
  if (!model) throw notFound('model', name.trim());
  return model.id;
}
