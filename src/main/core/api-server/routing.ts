/**
 * One endpoint for both: where a prediction asked of the local API runs. A model or version that is here
 * runs here, always. One that is not here runs on Replicate with the user's token, but only when routing
 * to Replicate is on (the `routeToReplicate` setting, or `cogdesk serve --route-to-replicate`), only for a
 * Replicate model name (`owner/name` or `owner/name:<version id>`), and never for a model the user marked
 * local-only. Otherwise the local answer (404 / 422) stands, as without the setting.
 */
import type { Version } from '../../../shared/domain';
import { ApiProblem } from './problem';

/** What a create names: a `version` (POST /v1/predictions) or a model (POST /v1/models/{owner}/{name}/predictions). */
export type CreateTarget = { version: string } | { owner: string; name: string };

export type RouteDecision = { where: 'local'; version: Version } | { where: 'replicate'; ref: string; model: string };

export interface RoutingDeps {
  /** The local version the target names; throws the local API's problem when there is none. */
  resolveLocal(target: CreateTarget): Promise<Version>;
  /** Routing to Replicate is on (the server's flag, else the saved setting). */
  enabled(): boolean;
  /** The id of the local model that `owner/name` stands for when the user marked it local-only, else null. */
  localOnlyModel(model: string): string | null;
  /** Whether a Replicate token is there for the API in use. */
  hasToken(): Promise<boolean>;
}

const PART = '[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?';
const CLOUD_REF = new RegExp(`^(${PART})/(${PART})(?::([a-f0-9]{64}))?$`);

/** `owner/name` and `owner/name:<64 hex>` as Replicate names a model (lowercase), else null. */
export function cloudRef(target: CreateTarget): { ref: string; model: string } | null {
  const text = 'version' in target ? target.version.trim() : `${target.owner}/${target.name}`;
  const m = CLOUD_REF.exec(text);
  if (!m) return null;
  return { ref: text, model: `${m[1]}/${m[2]}` };
}

/** A local answer that means "not here" (as opposed to "here, but ambiguous" or a bad request). */
function isNotHere(e: unknown): e is ApiProblem {
  if (!(e instanceof ApiProblem)) return false;
  return e.status === 404 || (e.status === 422 && e.title === 'Invalid version');
}

export const NO_TOKEN_HINT = 'set a Replicate token: cogdesk login (or REPLICATE_API_TOKEN; Settings in the app)';

export async function decideRoute(target: CreateTarget, d: RoutingDeps): Promise<RouteDecision> {
  let local: Version;
  try {
    local = await d.resolveLocal(target);
  } catch (e) {
    if (!isNotHere(e) || !d.enabled()) throw e;
    const cloud = cloudRef(target);
    if (!cloud) throw e;
    const pinned = d.localOnlyModel(cloud.model);
    if (pinned) {
      throw new ApiProblem(e.status, e.title, `${e.detail.replace(/[.\s]+$/, '')}; ${cloud.model} is marked local-only (${pinned}), so it is not run on Replicate`, {
        hint: "Pull that version here, or untick \"Local only\" on the model's page in Cogdesk to let the local API run it on Replicate.",
        invalid_fields: e.extra.invalid_fields,
      });
    }
    if (!(await d.hasToken())) {
      throw new ApiProblem(422, 'Replicate token missing', `${cloud.model} is not here, and running it on Replicate needs your Replicate API token, which Cogdesk does not have`, {
        hint: NO_TOKEN_HINT,
      });
    }
    return { where: 'replicate', ...cloud };
  }
  return { where: 'local', version: local };
}

/** The response header that says where a prediction ran. */
export const RAN_ON_HEADER = 'X-Cogdesk-Ran-On';

/** Replicate's status, when a failure came from its API (RemoteError carries it). */
function remoteStatus(e: unknown): { status: number; retryAfter?: number; message: string; hint?: string } | null {
  if (!(e instanceof Error) || e.name !== 'RemoteError') return null;
  const r = e as Error & { status?: number; retryAfter?: number; hint?: string };
  return typeof r.status === 'number' ? { status: r.status, retryAfter: r.retryAfter, message: r.message, hint: r.hint } : null;
}

/**
 * A failure of creating (or cancelling) a prediction on Replicate, as the local API answers it. Replicate's
 * 402 (no credit) and 429 (rate limit, with its Retry-After) pass through with their meaning; its 401 is
 * the user's Replicate token (422 here: a 401 from this server would read as the local token being wrong);
 * 403 and 404 pass through; anything else from Replicate is 502. Other errors are left as they are.
 */
export function cloudProblem(e: unknown, model: string): unknown {
  const r = remoteStatus(e);
  if (!r) return e;
  const said = `Running ${model} on Replicate failed: ${r.message}`;
  // The core's hints speak to the command line (--on replicate): these speak to a client of the local API.
  const runHere = 'or pull it (cogdesk pull) to run it here';
  if (r.status === 402) {
    return new ApiProblem(402, 'Payment Required', said, { hint: `Add credit to your Replicate account (https://replicate.com/account/billing) and try again, ${runHere}.` });
  }
  if (r.status === 429) {
    const headers: Record<string, string> = r.retryAfter !== undefined ? { 'Retry-After': String(r.retryAfter) } : {};
    return new ApiProblem(429, 'Too Many Requests', said, { hint: r.hint ?? 'Wait a minute and try again.', headers });
  }
  if (r.status === 401) return new ApiProblem(422, 'Replicate token refused', said, { hint: NO_TOKEN_HINT });
  if (r.status === 403 || r.status === 404 || r.status === 422) {
    return new ApiProblem(r.status, r.status === 403 ? 'Forbidden' : r.status === 404 ? 'Not found' : 'Invalid request', said, {
      hint: `Check the name and version (a private model runs there only with its owner's token), ${runHere}.`,
    });
  }
  if (r.status === 400) return new ApiProblem(400, 'Bad request', said, { hint: r.hint });
  return new ApiProblem(502, 'Replicate error', said, { hint: r.hint });
}
