/**
 * Pushing a local model version to the user's Replicate account, as plain data: what a push will do (the
 * plan, shown before anything is created), its progress, its result, and the link it leaves between the
 * local version and the version Replicate made from the image. These values cross the contract, the CLI's
 * --json and the database; they import nothing, so this file moves to src/shared/push.ts as it is (and this
 * one then re-exports it).
 */

export type Visibility = 'public' | 'private';

export interface PushRequest {
  /** The local version: its id (64 hex), a local image reference (built with `cog build`, pulled, tagged), or a local model name. */
  version: string;
  /** `owner/name` on Replicate. */
  destination: string;
  /** For a model that does not exist yet (default public). */
  visibility?: Visibility;
  /** The hardware SKU for a model that does not exist yet (default: the one matching this machine's GPUs, `cpu` without one). */
  hardware?: string;
  /** A description for a model that does not exist yet. */
  description?: string;
  /**
   * Which registry credentials: 'auto' (the default) uses an existing `cog login` (the Docker credential for
   * the registry host), else the CLI token Cogdesk keeps; 'cogdesk' uses only the CLI token Cogdesk keeps.
   */
  credentials?: 'auto' | 'cogdesk';
}

/** Where the registry credentials of a push come from. */
export type CredentialSource = 'docker-config' | 'cogdesk';

export interface RegistryLoginStatus {
  /** The registry host (COGDESK_REGISTRY, default r8.im). */
  registry: string;
  /** What a push would use now: a `cog login` (Docker's credential for the host), the CLI token Cogdesk keeps, or nothing. */
  source: CredentialSource | null;
  /** The registry user name, when known (never the token). */
  username: string | null;
  /** Where the credential is, in words ("~/.docker/config.json or its credential helper", a file path, "safeStorage"). */
  where: string | null;
  /** The CLI token Cogdesk keeps of its own (used when there is no `cog login`): whose, and where it is kept. */
  kept: { username: string; where: string | null } | null;
}

export interface HardwareChoice {
  sku: string;
  /** Replicate's name for it, when the hardware list knows it. */
  name: string | null;
  /** Asked for, or picked to match this machine's GPUs. */
  source: 'requested' | 'this-machine';
  /** Why this SKU, in words ("1 × Tesla T4 (15 GB): matches Replicate's gpu-t4."). */
  reason: string;
}

export interface PushPlan {
  /** The local version that will be pushed. */
  version: { id: string; modelId: string; imageRef: string; imageId: string };
  registry: string;
  destination: {
    owner: string;
    name: string;
    /** `owner/name` */
    id: string;
    /** `<registry>/owner/name`: the image name the push uses. */
    image: string;
  };
  /** The account behind the API token (the owner a new model gets). */
  account: string;
  model:
    | { exists: true; visibility: Visibility | null; url: string | null; latestVersionId: string | null }
    | { exists: false; visibility: Visibility; hardware: HardwareChoice; description: string | null };
  credentials: RegistryLoginStatus;
  /** This version was already pushed to this model (the push then only records it again). */
  alreadyPushed: PushLink | null;
  /** Things worth reading before pushing (an option that does not apply, a registry user that is not the owner). */
  warnings: string[];
}

export interface PushProgress {
  /** `<registry>/owner/name` */
  ref: string;
  /**
   * preparing: Docker is checking the layers; pushing: layers are uploading; processing: the image is in the
   * registry and Replicate is making the version; done.
   */
  phase: 'preparing' | 'pushing' | 'processing' | 'done';
  /** alreadyExists: layers the registry had already (from an earlier push, or mounted from another model). */
  layers: { total: number; done: number; pushing: number; alreadyExists: number };
  /** Bytes of the layers read for upload, of the layers whose size Docker reported (uncompressed). */
  bytesDone: number;
  bytesTotal: number;
  percent: number;
  message: string;
}

/** A local version pushed as a version of a Replicate model: "pushed as owner/name:<remoteVersionId>". */
export interface PushLink {
  /** The local version (64 hex). */
  versionId: string;
  registry: string;
  /** `owner/name` on Replicate. */
  modelId: string;
  /** Replicate's version id: the pushed manifest's digest, without `sha256:`. */
  remoteVersionId: string;
  /** `<registry>/owner/name@sha256:<remoteVersionId>` */
  imageRef: string;
  pushedAt: string;
}

export interface PushResult {
  link: PushLink;
  /** True when this push created the model. */
  createdModel: boolean;
  /** The model's page on Replicate, when the API gave one. */
  url: string | null;
  /** The last progress (layers pushed and already there). */
  progress: PushProgress;
}
