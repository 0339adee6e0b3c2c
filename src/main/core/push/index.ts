/**
 * Push: publish a local Cog model version to the user's Replicate account. The public surface of the
 * `push/` capability: `createPusher({docker, store, catalog, home})`.
 *
 * A push: find the local version (any local Cog image) -> check the destination's name -> find the
 * registry credentials (`cog login`, else the CLI token Cogdesk keeps) and have the engine sign in with
 * them -> ask Replicate whose the API token is and whether the model exists (and whose it is) -> create it
 * when missing (visibility, hardware: by default the SKU matching this machine) -> tag and push with
 * progress and cancel -> wait for Replicate to show the version -> link it to the local version. Every
 * check runs before anything is created, and the link is written only once the version exists.
 */
import type Docker from 'dockerode';
import type { RemoteModel } from '../../../shared/catalog';
import { CogdeskError } from '../../../shared/errors';
import type { HardwareReport } from '../../../shared/hardware';
import { credentialsMayGoTo, withheldWords } from '../docker/auth';
import { detectHardware } from '../hardware/detect';
import { replicateRegistry } from '../models';
import { RemoteClient, RemoteError, type RemoteClientOptions } from '../remote/client';
import type { Catalog } from '../remote/catalog';
import { toAccount } from '../remote/shapes';
import type { TokenStore } from '../remote/token';
import type { Store } from '../store';
import { ModelHardwareStore } from '../store/model-hardware';
import { PushStore } from '../store/pushes';
import {
  checkCredentials,
  cliRegistryTokens,
  findCredentials,
  loginStatus,
  noCredentials,
  RegistryLogins,
  verifyCliToken,
  verifyTokenUrl,
} from './credentials';
import { checkHardware, checkOwner, createModel, defaultHardware, findModel, parseDestination, type Destination } from './destination';
import { recordLink, waitForVersion } from './link';
import { localVersion } from './local';
import { PushProgressTracker } from './progress';
import { pushImage } from './push';
import type { HardwareChoice, PushLink, PushPlan, PushProgress, PushRequest, PushResult, RegistryLoginStatus } from './types';

export interface PusherOptions {
  /** The engine (the core's `docker()`: checked and connected on demand). */
  docker: () => Promise<Docker>;
  store: Store;
  /** Replicate's API: its base URL and API token (the pusher talks to it through the same RemoteClient). */
  catalog: Pick<Catalog, 'apiUrl' | 'tokens' | 'hardware'> & Partial<Pick<Catalog, 'versions'>>;
  /** The data folder: the CLI keeps the verified CLI token in `<home>/replicate-cli-token`. */
  home: string;
  /** Where the verified CLI token is kept (the app passes one built on safeStorage). */
  registryTokens?: TokenStore;
  /** COGDESK_REGISTRY and COGDESK_REGISTRY_VERIFY_URL are read here (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Docker's config file with `cog login`'s credential (default $DOCKER_CONFIG/config.json or ~/.docker/config.json). */
  dockerConfigPath?: string;
  /** This machine's hardware, for the default SKU of a new model (default: detectHardware). */
  detectHardware?: () => Promise<HardwareReport>;
  fetch?: typeof fetch;
  /** Waiting for Replicate to make the version: between looks (2 s) and at most (10 min). */
  versionPollMs?: number;
  versionTimeoutMs?: number;
  /** For the RemoteClient (tests). */
  sleep?: RemoteClientOptions['sleep'];
  retryBudgetMs?: number;
}

export interface PushOptions {
  onProgress?: (progress: PushProgress) => void;
  /** Told once everything is checked, before the model is created and the image pushed. */
  onPlan?: (plan: PushPlan) => void;
  signal?: AbortSignal;
}

export interface Pusher {
  /** The registry host pushes go to (COGDESK_REGISTRY, default r8.im). */
  registry(): string;
  /**
   * What a push would do, checked: destination, account, model (exists, or created with which visibility and
   * hardware), credentials. Creates nothing on Replicate or in the registry (a local image named for the first
   * time is added to the library, as any local Cog image is a local version).
   */
  plan(request: PushRequest): Promise<PushPlan>;
  /** Publishes the version: creates the model when missing, pushes, waits for the version, records the link. */
  push(request: PushRequest, options?: PushOptions): Promise<PushResult>;
  /** Which registry credentials a push would use now. */
  loginStatus(): Promise<RegistryLoginStatus>;
  /** Verifies a CLI auth token with the registry and keeps it (for pushes without a `cog login`). */
  login(token: string): Promise<RegistryLoginStatus>;
  /** Forgets the CLI token Cogdesk keeps (a `cog login` is left alone). */
  logout(): Promise<RegistryLoginStatus>;
  /** Where a local version was pushed, newest first. */
  links(versionId: string): PushLink[];
  readonly pushes: PushStore;
  /** The hardware each model a push created was created with. */
  readonly hardware: ModelHardwareStore;
}

export function createPusher(o: PusherOptions): Pusher {
  const env = o.env ?? process.env;
  const pushes = new PushStore(o.store.db);
  const hardware = new ModelHardwareStore(o.store.db);
  const logins = new RegistryLogins(o.registryTokens ?? cliRegistryTokens(o.home));
  const client = new RemoteClient({
    baseUrl: () => o.catalog.apiUrl(),
    // Only a token entered for the API in use (a token kept for another host is an error that says so).
    token: () => o.catalog.tokens.forRequest(),
    fetch: o.fetch,
    sleep: o.sleep,
    retryBudgetMs: o.retryBudgetMs,
  });
  const registry = () => replicateRegistry(env);
  const hardwareReport = o.detectHardware ?? (() => detectHardware({ systemInfo: false }));
  const credentialsFor = (prefer: PushRequest['credentials']) =>
    findCredentials({ registry: registry(), logins, configPath: o.dockerConfigPath, prefer: prefer ?? 'auto' });

  const account = async (): Promise<string> => {
    const a = toAccount(await client.account());
    if (!a) throw new RemoteError('bad_response', { message: "Replicate's answer about the account of the API token has no username", hint: 'Try again later.' });
    return a.username;
  };

  /** Every check that needs no change anywhere; answers the plan and what push() needs to act on it. */
  const prepare = async (request: PushRequest): Promise<{ plan: PushPlan; dest: Destination; existing: RemoteModel | null }> => {
    if (!request || typeof request !== 'object') {
      throw new CogdeskError({ code: 'bad_request', message: 'A push needs a version and a destination', hint: 'Example: {"version": "my-model:latest", "destination": "alice/my-model"}' });
    }
    const reg = registry();
    const dest = parseDestination(request.destination, reg);
    if (request.visibility !== undefined && request.visibility !== 'public' && request.visibility !== 'private') {
      throw new CogdeskError({ code: 'bad_request', message: `Visibility must be "public" or "private", not "${String(request.visibility)}"`, hint: 'A private model can be seen and run only by you (and your organization).' });
    }
    const d = await o.docker();
    const version = await localVersion(d, o.store, request.version);
    const who = await account();
    const existing = await findModel(client, dest);
    checkOwner(dest, who, existing);

    const warnings: string[] = [];
    let model: PushPlan['model'];
    if (existing) {
      if (request.visibility !== undefined && existing.visibility && request.visibility !== existing.visibility) {
        warnings.push(`${dest.id} exists and is ${existing.visibility}: the visibility asked for (${request.visibility}) is not applied.`);
      }
      if (request.hardware) warnings.push(`${dest.id} exists: its hardware stays as it is (hardware cannot be changed through the API).`);
      model = { exists: true, visibility: existing.visibility, url: existing.url, latestVersionId: existing.latestVersion?.id ?? null };
    } else {
      const asked: HardwareChoice | null = request.hardware?.trim()
        ? { sku: request.hardware.trim(), name: null, source: 'requested', reason: `Asked for ${request.hardware.trim()}.` }
        : null;
      const choice = asked ?? defaultHardware(await hardwareReport());
      const offered = (await o.catalog.hardware()).data;
      model = {
        exists: false,
        visibility: request.visibility ?? 'public',
        hardware: checkHardware(choice, offered),
        description: request.description?.trim() || null,
      };
    }
    const credentials = await loginStatus({ registry: reg, logins, configPath: o.dockerConfigPath, prefer: request.credentials ?? 'auto' });
    if (credentials.username && credentials.username.toLowerCase() !== dest.owner.toLowerCase()) {
      warnings.push(`The registry login is for ${credentials.username}, and the model belongs to ${dest.owner}: ${reg} may refuse the push.`);
    }
    const alreadyPushed = pushes.forVersion(version.id).find((l) => l.registry === reg && l.modelId === dest.id) ?? null;
    const plan: PushPlan = {
      version: { id: version.id, modelId: version.modelId, imageRef: version.imageRef, imageId: version.imageId },
      registry: reg,
      destination: { owner: dest.owner, name: dest.name, id: dest.id, image: dest.image },
      account: who,
      model,
      credentials,
      alreadyPushed,
      warnings,
    };
    return { plan, dest, existing };
  };

  const pusher: Pusher = {
    registry,
    pushes,
    hardware,

    async plan(request) {
      return (await prepare(request)).plan;
    },

    async push(request, opts = {}) {
      const { signal } = opts;
      const { plan, dest } = await prepare(request);
      const reg = plan.registry;
      const found = await credentialsFor(request.credentials);
      if (!found) throw noCredentials(reg, await logins.get().catch(() => null));
      const d = await o.docker();
      // The engine uses the credentials itself: one elsewhere gets them only when the user said so.
      const engine = credentialsMayGoTo(d, env);
      if (!engine.ok) {
        const w = withheldWords(reg, engine.engine);
        throw new CogdeskError({ code: 'registry_unauthorized', message: `${w.sentence}, so it cannot push from there`, hint: w.hint });
      }
      await checkCredentials(d, found, reg);
      if (signal?.aborted) throw new CogdeskError({ code: 'canceled', message: `Push to ${dest.id} canceled`, hint: 'Nothing was created or pushed.' });
      opts.onPlan?.(plan);

      let createdModel = false;
      let url = plan.model.exists ? plan.model.url : null;
      if (!plan.model.exists) {
        const created = await createModel(client, dest, plan.account, {
          visibility: plan.model.visibility,
          hardware: plan.model.hardware.sku,
          description: plan.model.description,
        });
        createdModel = true;
        url = created.url;
        // What its runs are priced on (Replicate's API does not say): kept even if the push fails below.
        hardware.record(reg, dest.id, plan.model.hardware.sku);
      }

      const tracker = new PushProgressTracker(dest.image);
      const report = (p: PushProgress) => {
        try {
          opts.onProgress?.(p);
        } catch {
          // A broken listener must not break the push.
        }
      };
      let pushed;
      try {
        pushed = await pushImage(d, plan.version.imageId, {
          target: dest.image,
          registry: reg,
          auth: found.auth,
          credentialSource: found.source,
          username: found.username,
          tracker,
          onProgress: report,
          signal,
        });
      } catch (e) {
        throw createdModel ? withModelNote(e, dest) : e;
      }
      const remoteVersionId = pushed.digest.replace(/^sha256:/, '');
      report(tracker.processing());
      await waitForVersion(client, dest, remoteVersionId, {
        signal,
        pollMs: o.versionPollMs,
        timeoutMs: o.versionTimeoutMs,
      });
      const link = recordLink(pushes, { versionId: plan.version.id, registry: reg, dest, remoteVersionId });
      // The catalog's cache of the model's versions, refreshed for the pages that show it (best effort).
      await o.catalog.versions?.(dest.id).catch(() => undefined);
      const progress = tracker.finish(`Pushed as ${dest.id}:${remoteVersionId.slice(0, 12)}`);
      report(progress);
      return { link, createdModel, url, progress };
    },

    loginStatus: () => loginStatus({ registry: registry(), logins, configPath: o.dockerConfigPath }),

    async login(token) {
      const reg = registry();
      const username = await verifyCliToken(token, { url: verifyTokenUrl(reg, env), fetch: o.fetch });
      await logins.set(username, token.trim(), reg);
      return loginStatus({ registry: reg, logins, configPath: o.dockerConfigPath, prefer: 'cogdesk' });
    },

    async logout() {
      await logins.clear();
      return loginStatus({ registry: registry(), logins, configPath: o.dockerConfigPath });
    },

    links: (versionId) => pushes.forVersion(versionId.replace(/^sha256:/, '')),
  };
  return pusher;
}

/** A push that failed after this push created the model: say that the (empty) model is there now. */
function withModelNote(e: unknown, dest: Destination): unknown {
  if (!(e instanceof CogdeskError)) return e;
  return new CogdeskError(
    {
      code: e.code,
      message: e.message,
      hint: `${e.hint ? `${e.hint} ` : ''}(The model ${dest.id} was created on Replicate and stays, without versions; pushing again uses it.)`,
      fields: e.fields,
      details: e.details,
    },
    { cause: e },
  );
}

export { checkCliToken, CLI_TOKEN_PAGE, CLI_TOKEN_FILE_NAME, cliRegistryTokens, VERIFY_URL_ENV, verifyTokenUrl } from './credentials';
export { parseDestination, defaultHardware } from './destination';
export { localVersion } from './local';
export { classifyPushError } from './push';
export { PushProgressTracker } from './progress';
export type * from './types';
