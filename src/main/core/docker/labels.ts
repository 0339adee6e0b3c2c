import type Docker from 'dockerode';
import { CogdeskError } from '../../../shared/errors';
import { dockerErrorToCogdesk, dockerTarget } from './connection';
import { isImageRef, repoDigestFor } from './image-ref';
import { parseJsonObject } from '../util/json';
import { serverFromLabels, type CogServer } from '../cog/server-kind';

export const COG_LABELS = {
  schema: 'run.cog.openapi_schema',
  config: 'run.cog.config',
  version: 'run.cog.version',
  legacySchema: 'org.cogmodel.openapi_schema',
  legacyConfig: 'org.cogmodel.config',
  legacyVersion: 'org.cogmodel.cog_version',
} as const;

export interface CogImageLabels {
  imageId: string;
  /** The manifest digest (`sha256:...`) from RepoDigests for this reference's repository, when pulled from one. */
  digest?: string;
  /** The OpenAPI schema, as the label's JSON text (not parsed here). */
  openapiSchema: string;
  /** `cog.yaml` as JSON; null when absent or not JSON. */
  config: Record<string, unknown> | null;
  cogVersion: string | null;
  /**
   * Which Cog server the image runs (Python, the Go cog-runtime or Rust coglet), as its labels and env tell
   * before it starts (a running container's health check confirms it: CogClient.server); null when they don't.
   */
  server: CogServer | null;
  /** True when the schema came from the old `org.cogmodel.*` labels (Cog 0.8 and older). */
  legacyLabels: boolean;
  sizeBytes: number;
  /** When the image was built (ISO 8601). */
  createdAt: string;
}

/** Reads the Cog labels of a local image (a reference or an image id). */
export async function readCogLabels(docker: Docker, imageRef: string): Promise<CogImageLabels> {
  let info: Docker.ImageInspectInfo;
  try {
    info = await docker.getImage(imageRef).inspect();
  } catch (e) {
    throw dockerErrorToCogdesk(e, { action: 'reading the image labels', ref: imageRef, target: dockerTarget(docker) });
  }
  return cogLabelsFromInspect(info, imageRef);
}

/** The pure half of readCogLabels: pulls the Cog labels out of an image inspect result. */
export function cogLabelsFromInspect(info: Docker.ImageInspectInfo, imageRef: string): CogImageLabels {
  const labels: Record<string, string> = info.Config?.Labels ?? {};
  const modern = nonEmpty(labels[COG_LABELS.schema]);
  const legacy = nonEmpty(labels[COG_LABELS.legacySchema]);
  const openapiSchema = modern ?? legacy;
  if (!openapiSchema) {
    throw new CogdeskError({
      code: 'not_a_cog_image',
      message: `${imageRef} has no Cog labels (${COG_LABELS.schema})`,
      hint: 'Build it with `cog build`, or pick an image made by Cog.',
    });
  }
  const legacyLabels = !modern;
  const configText = legacyLabels
    ? labels[COG_LABELS.legacyConfig] ?? labels[COG_LABELS.config]
    : labels[COG_LABELS.config] ?? labels[COG_LABELS.legacyConfig];
  const cogVersion = nonEmpty(labels[COG_LABELS.version]) ?? nonEmpty(labels[COG_LABELS.legacyVersion]) ?? null;
  const byId = /^(sha256:)?[a-f0-9]{12,64}$/.test(imageRef) || !isImageRef(imageRef);
  const digest = byId ? firstDigest(info.RepoDigests) : repoDigestFor(info.RepoDigests, imageRef);
  return {
    imageId: info.Id,
    ...(digest ? { digest } : {}),
    openapiSchema,
    config: parseJsonObject(configText),
    cogVersion,
    server: serverFromLabels(labels, parseJsonObject(configText), info.Config?.Env),
    legacyLabels,
    sizeBytes: typeof info.Size === 'number' ? info.Size : 0,
    createdAt: info.Created,
  };
}

/** `cog.yaml` as JSON from config labels (`run.cog.config`, else the older `org.cogmodel.config`); null when absent or not JSON. */
export function cogConfigFromLabels(labels: Record<string, string> | null | undefined): Record<string, unknown> | null {
  return parseJsonObject(labels?.[COG_LABELS.config] ?? labels?.[COG_LABELS.legacyConfig]);
}

function nonEmpty(s: string | undefined): string | undefined {
  return s && s.trim() ? s : undefined;
}

function firstDigest(repoDigests: readonly string[] | null | undefined): string | undefined {
  const entry = repoDigests?.find((d) => d.includes('@'));
  return entry?.slice(entry.indexOf('@') + 1);
}
