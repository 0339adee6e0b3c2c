/**
 * Where a push goes: `owner/name` on the account behind the API token. The naming rules (what both
 * Replicate and the registry accept), the hardware a new model gets (by default the SKU matching this
 * machine's GPUs, `cpu` without one), whether the model exists and whose it is, and creating it
 * (`POST /models`).
 */
import type { RemoteHardware, RemoteModel } from '../../../shared/catalog';
import { CogdeskError } from '../../../shared/errors';
import type { HardwareReport } from '../../../shared/hardware';
import { matchSku } from '../hardware/match';
import { normalizeSku } from '../hardware/skus';
import { isRemoteError, type RemoteClient } from '../remote/client';
import { toModel } from '../remote/shapes';
import type { HardwareChoice, Visibility } from './types';

export interface Destination {
  owner: string;
  name: string;
  /** `owner/name` */
  id: string;
  /** `<registry>/owner/name` */
  image: string;
}

/**
 * One part of a model name: lowercase letters and digits, with single `.` or `_`, `__`, or runs of `-`
 * between them (Replicate takes lowercase letters, digits, dashes, underscores and periods; Docker's
 * reference grammar decides where the separators may go).
 */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** Docker's limit for `registry/path`. */
const MAX_IMAGE_NAME = 255;

const RULES = 'Model names use lowercase letters, digits, and - _ . between them (not at the start or end, not two in a row), like my-model or sdxl_v2.1.';

function badName(input: string, why: string, hint = RULES): CogdeskError {
  return new CogdeskError({ code: 'bad_request', message: `"${input}" is not a name Replicate can push to: ${why}`, hint });
}

/** Checks one part (`owner` or `name`) and says exactly what is wrong. */
function checkPart(input: string, part: string, what: 'owner' | 'model name'): void {
  if (!part) throw badName(input, `the ${what} is empty`, 'Write it as owner/name, like alice/my-model.');
  if (/\s/.test(part)) {
    throw badName(input, `the ${what} "${part}" contains spaces`, `Use dashes instead: ${part.trim().replace(/\s+/g, '-').toLowerCase()}`);
  }
  if (part !== part.toLowerCase()) {
    throw badName(input, `the ${what} "${part}" has capital letters`, `Replicate names are lowercase: ${part.toLowerCase()}`);
  }
  const bad = [...new Set(part.replace(/[a-z0-9._-]/g, ''))];
  if (bad.length > 0) throw badName(input, `the ${what} "${part}" contains ${bad.map((c) => `"${c}"`).join(', ')}`);
  if (/^[._-]|[._-]$/.test(part)) throw badName(input, `the ${what} "${part}" starts or ends with ${/^[._-]/.test(part) ? `"${part[0]}"` : `"${part[part.length - 1]}"`}`);
  if (!COMPONENT.test(part)) throw badName(input, `the ${what} "${part}" has separators next to each other`);
}

/**
 * Parses `owner/name` (a leading `<registry>/` is allowed and dropped) by the naming rules; throws
 * CogdeskError('bad_request') saying what is wrong and how to write it.
 */
export function parseDestination(input: string, registry: string): Destination {
  const raw = typeof input === 'string' ? input.trim() : '';
  if (!raw) throw badName(String(input ?? ''), 'it is empty', 'Write it as owner/name, like alice/my-model.');
  let rest = raw;
  if (rest.toLowerCase().startsWith(`${registry.toLowerCase()}/`)) rest = rest.slice(registry.length + 1);
  const version = /[:@]/.exec(rest);
  if (version) {
    throw badName(
      raw,
      `"${rest.slice(version.index)}" is a tag or version`,
      `Leave it out (${rest.slice(0, version.index)}): Replicate makes the version from the image you push.`,
    );
  }
  const parts = rest.split('/');
  if (parts.length !== 2) {
    throw badName(raw, parts.length < 2 ? 'it has no owner' : 'it has more than one "/"', 'Write it as owner/name, like alice/my-model (owner: your Replicate user name).');
  }
  const [owner, name] = parts as [string, string];
  checkPart(raw, owner, 'owner');
  checkPart(raw, name, 'model name');
  const image = `${registry}/${owner}/${name}`;
  if (image.length > MAX_IMAGE_NAME) throw badName(raw, `${image} is longer than ${MAX_IMAGE_NAME} characters`, 'Pick a shorter name.');
  return { owner, name, id: `${owner}/${name}`, image };
}

/**
 * The SKU matching this machine's GPUs (the hardware module's match): the exact SKU, else the nearest by
 * GPU memory, else `cpu`.
 */
export function defaultHardware(report: HardwareReport): HardwareChoice {
  const match = matchSku(report.gpus, undefined, { cpus: report.cpu?.cores ?? null, memoryBytes: report.memoryBytes });
  const sku = match.sku ?? match.nearest ?? 'cpu';
  const reason =
    match.kind === 'exact' || match.kind === 'cpu'
      ? match.sentence
      : match.nearest
        ? `${match.sentence} Using ${match.nearest}.`
        : `${match.sentence} Using cpu.`;
  return { sku, name: null, source: 'this-machine', reason };
}

/** The SKU as the hardware list spells it, with its name; throws when Replicate does not offer it. */
export function checkHardware(choice: HardwareChoice, offered: readonly RemoteHardware[]): HardwareChoice {
  const want = normalizeSku(choice.sku);
  const found = offered.find((h) => h.sku === choice.sku) ?? offered.find((h) => normalizeSku(h.sku) === want);
  if (found) return { ...choice, sku: found.sku, name: found.name };
  const list = offered.map((h) => h.sku).join(', ');
  throw new CogdeskError({
    code: 'bad_request',
    message:
      choice.source === 'this-machine'
        ? `This machine matches ${choice.sku}, which Replicate does not offer for new models`
        : `Replicate does not offer the hardware "${choice.sku}"`,
    hint: list ? `Pick one with --hardware: ${list}.` : 'Replicate listed no hardware: try again later.',
  });
}

/** The model as Replicate shows it to this token, or null when it has none by that name (404). */
export async function findModel(client: RemoteClient, dest: Destination): Promise<RemoteModel | null> {
  try {
    const raw = await client.getModel(dest.owner, dest.name);
    const model = toModel(raw);
    if (!model) throw new CogdeskError({ code: 'internal', message: `Replicate's answer about ${dest.id} has no owner and name`, hint: 'Try again later.' });
    return model;
  } catch (e) {
    if (isRemoteError(e, 'not_found')) return null;
    throw e;
  }
}

/** Throws unless the account behind the token may push to this destination. */
export function checkOwner(dest: Destination, account: string, existing: RemoteModel | null): void {
  const mine = (owner: string) => owner.toLowerCase() === account.toLowerCase();
  if (existing && !mine(existing.owner)) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `${existing.id} already exists and belongs to ${existing.owner}, not to ${account} (the account of your API token)`,
      hint: `Push to a model of your own, e.g. ${account}/${dest.name}, or use an API token of ${existing.owner}.`,
    });
  }
  if (!existing && !mine(dest.owner)) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `Cannot create ${dest.id}: new models can only be created for ${account}, the account of your API token, not for ${dest.owner}`,
      hint: `Push to ${account}/${dest.name}, or use an API token of ${dest.owner} (cogdesk login).`,
    });
  }
}

export interface CreateModelRequest {
  visibility: Visibility;
  hardware: string;
  description?: string | null;
}

/**
 * Creates the model (`POST /models`). When it turns out to exist already (made in the meantime), answers
 * the existing model if it is the account's.
 */
export async function createModel(client: RemoteClient, dest: Destination, account: string, request: CreateModelRequest): Promise<RemoteModel> {
  const options: Record<string, string> = { visibility: request.visibility, hardware: request.hardware };
  if (request.description) options.description = request.description;
  try {
    const raw = await client.call({ doing: `create the model ${dest.id}` }, (r) => r.models.create(dest.owner, dest.name, options as never));
    const model = toModel(raw);
    if (!model) throw new CogdeskError({ code: 'internal', message: `Replicate's answer to creating ${dest.id} has no owner and name`, hint: 'Check the model on replicate.com, then push again.' });
    return model;
  } catch (e) {
    if (isRemoteError(e, 'bad_request')) {
      const existing = await findModel(client, dest).catch(() => null);
      if (existing) {
        checkOwner(dest, account, existing);
        return existing;
      }
    }
    throw e;
  }
}
