/**
 * The pushing half of the fake Replicate API:
 * - `POST /v1/models` creates a model the way the published schema describes: `owner` must be the token's
 *   account, the name must follow the naming rules, `visibility` is public or private, `hardware` one of
 *   the SKUs of GET /hardware; a model that exists is refused. Answers 201 with the model (the recorded
 *   models.create.json shape).
 * - Versions from the registry: Replicate makes a version when an image is pushed to
 *   `<registry>/owner/name`. Here, each look at a model of the account (GET of the model or its versions)
 *   first reads the real registry: `GET /v2/<owner>/<name>/tags/list`, each tag's manifest (its
 *   Docker-Content-Digest is the version id), and the image config blob, whose `run.cog.*` labels give the
 *   version's `openapi_schema` and `cog_version`. A manifest without Cog labels makes no version (it is
 *   listed in `rejected`).
 */
import { recorded, type FakeWorld } from './world';

type Obj = Record<string, unknown>;

export interface FakeRegistry {
  /** e.g. `http://127.0.0.1:5101` */
  url: string;
  username?: string;
  password?: string;
}

export interface CreatedModel {
  owner: string;
  name: string;
  visibility: string;
  hardware: string;
  description: string | null;
}

export interface FakePushes {
  /** Models created with POST /models, in order. */
  readonly created: CreatedModel[];
  /** Manifests seen in the registry that made no version, and why. */
  readonly rejected: Array<{ model: string; digest: string; reason: string }>;
  /** How many times the registry was read for a model. */
  looks(model: string): number;
  /** While held, pushed manifests make no version (Replicate still processing). */
  hold(held: boolean): void;
  /** Handles POST /v1/models (the body as sent). */
  create(body: string): { ok: true; model: Obj } | { ok: false; status: number; detail: string };
  /** Makes versions of the manifests pushed for a model of the account. */
  sync(model: string): Promise<void>;
}

/** Replicate's names: lowercase letters and digits, with -, _ or . between them. */
const NAME = /^[a-z0-9]+(?:[._-]+[a-z0-9]+)*$/;

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

export function createPushes(world: FakeWorld, o: { registry?: FakeRegistry; versionLag: number }): FakePushes {
  const created: CreatedModel[] = [];
  const rejected: FakePushes['rejected'] = [];
  const looks = new Map<string, number>();
  /** How many looks have seen a digest without making its version yet. */
  const pending = new Map<string, number>();
  const syncing = new Map<string, Promise<void>>();
  let held = false;

  const registryFetch = async (path: string, accept?: string): Promise<Response> => {
    const headers: Record<string, string> = {};
    if (accept) headers.accept = accept;
    if (o.registry?.username) headers.authorization = `Basic ${Buffer.from(`${o.registry.username}:${o.registry.password ?? ''}`).toString('base64')}`;
    return fetch(`${o.registry!.url}${path}`, { headers });
  };

  async function readManifest(repo: string, ref: string): Promise<{ digest: string; config: string } | null> {
    const res = await registryFetch(`/v2/${repo}/manifests/${ref}`, MANIFEST_TYPES);
    if (!res.ok) return null;
    const digest = res.headers.get('docker-content-digest');
    const body = (await res.json()) as { config?: { digest?: string }; manifests?: Array<{ digest: string; platform?: { os?: string; architecture?: string } }> };
    if (body.manifests) {
      // An index: the linux/amd64 image's config (Cog images are built for it).
      const pick = body.manifests.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64') ?? body.manifests[0];
      const inner = pick ? await readManifest(repo, pick.digest) : null;
      return digest && inner ? { digest, config: inner.config } : null;
    }
    return digest && body.config?.digest ? { digest, config: body.config.digest } : null;
  }

  async function syncNow(id: string): Promise<void> {
    const model = world.models.get(id);
    if (!o.registry || !model || model.owner !== world.account.username) return;
    looks.set(id, (looks.get(id) ?? 0) + 1);
    const tagsRes = await registryFetch(`/v2/${id}/tags/list`);
    if (!tagsRes.ok) return; // nothing pushed yet (404 NAME_UNKNOWN)
    const tags = ((await tagsRes.json()) as { tags?: string[] | null }).tags ?? [];
    for (const tag of tags) {
      const manifest = await readManifest(id, tag);
      if (!manifest) continue;
      const versionId = manifest.digest.replace(/^sha256:/, '');
      const versions = world.versions.get(id) ?? [];
      if (versions.some((v) => v.id === versionId) || rejected.some((r) => r.digest === manifest.digest)) continue;
      const seen = pending.get(manifest.digest) ?? 0;
      if (held || seen < o.versionLag) {
        pending.set(manifest.digest, seen + 1);
        continue;
      }
      const configRes = await registryFetch(`/v2/${id}/blobs/${manifest.config}`);
      if (!configRes.ok) continue;
      const config = (await configRes.json()) as { config?: { Labels?: Record<string, string> | null } };
      const labels = config.config?.Labels ?? {};
      const schemaText = labels['run.cog.openapi_schema'] ?? labels['org.cogmodel.openapi_schema'];
      let schema: unknown;
      try {
        schema = schemaText ? JSON.parse(schemaText) : undefined;
      } catch {
        schema = undefined;
      }
      if (!schema || typeof schema !== 'object') {
        rejected.push({ model: id, digest: manifest.digest, reason: schemaText ? 'the run.cog.openapi_schema label is not JSON' : 'the image has no Cog labels' });
        continue;
      }
      const version = {
        id: versionId,
        created_at: new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
        cog_version: labels['run.cog.version'] ?? labels['org.cogmodel.cog_version'] ?? null,
        openapi_schema: schema,
      };
      world.versions.set(id, [version, ...versions]);
      model.latest_version = version;
      pending.delete(manifest.digest);
    }
  }

  return {
    created,
    rejected,
    looks: (id) => looks.get(id) ?? 0,
    hold(h) {
      held = h;
    },

    create(body) {
      let req: Obj;
      try {
        const parsed: unknown = JSON.parse(body);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        req = parsed as Obj;
      } catch {
        return { ok: false, status: 400, detail: 'The request body must be a JSON object.' };
      }
      for (const field of ['owner', 'name', 'visibility', 'hardware']) {
        if (typeof req[field] !== 'string' || !req[field]) return { ok: false, status: 400, detail: `${field}: This field is required.` };
      }
      const owner = req.owner as string;
      const name = req.name as string;
      if (owner !== world.account.username) {
        return { ok: false, status: 403, detail: `You can only create models for your own account (${world.account.username as string}), not for ${owner}.` };
      }
      if (!NAME.test(name)) {
        return { ok: false, status: 400, detail: 'name: Model names can only contain lowercase letters, numbers, dashes, underscores and periods, and must start and end with a letter or number.' };
      }
      if (req.visibility !== 'public' && req.visibility !== 'private') return { ok: false, status: 400, detail: 'visibility: Must be "public" or "private".' };
      const skus = world.hardware.map((h) => h.sku);
      if (!skus.includes(req.hardware)) return { ok: false, status: 400, detail: `hardware: Invalid hardware SKU "${req.hardware as string}". Valid SKUs: ${skus.join(', ')}.` };
      const id = `${owner}/${name}`;
      if (world.models.has(id)) return { ok: false, status: 400, detail: `A model named ${id} already exists.` };
      const description = typeof req.description === 'string' ? req.description : null;
      // The recorded answer's shape (recorded/models.create.json), with this model's values.
      const model: Obj = {
        ...recorded('models.create.json'),
        url: `https://replicate.com/${id}`,
        owner,
        name,
        description,
        visibility: req.visibility,
        run_count: 0,
        default_example: null,
        latest_version: null,
      };
      world.models.set(id, model);
      world.versions.set(id, []);
      world.examples.set(id, []);
      created.push({ owner, name, visibility: req.visibility, hardware: req.hardware as string, description });
      return { ok: true, model };
    },

    sync(id) {
      // One look at a time per model, so two requests never make the same version twice.
      const before = syncing.get(id) ?? Promise.resolve();
      const run = before.then(() => syncNow(id)).catch(() => undefined);
      syncing.set(id, run);
      return run;
    },
  };
}
