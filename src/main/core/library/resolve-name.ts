/**
 * One resolver for what a person or a script writes to name a model or a version, used by every command,
 * the local API and the window. In this order:
 *
 * 1. a local model's name: its id, a tail of it at a `/` (`echo`, `fixtures/echo` for
 *    `127.0.0.1:5100/fixtures/echo`) or its API name (`local/echo`): its latest version; `NAME:PREFIX` takes
 *    the version of that model whose id starts with PREFIX;
 * 2. a version id, full or a unique prefix of 4 or more hex characters (what `cogdesk models` prints), or a
 *    prefix of its Docker image id (what `docker images` prints);
 * 3. an image reference the library has (`127.0.0.1:5100/fixtures/echo:latest`);
 * 4. Replicate's `owner/name[:version]`, the version full or a prefix (`r8.im/owner/name` always is).
 *
 * Anything else is an image reference to look for in Docker or pull. A name that fits several local models
 * or versions is an error that lists them. An `owner/name` that is exactly a local model's id (a Replicate
 * model pulled here, or `cog build -t owner/name`) still answers as Replicate's model, with the local
 * version alongside: the command line then decides (README: `OWNER/NAME` means Replicate's model).
 */
import type { Model, Version } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import { parseImageRef } from '../docker/image-ref';
import { nameMatchesModel } from '../../../shared/model-names';

/** What of the store's library the resolver reads (LibraryStore has it all). */
export interface LibraryIndex {
  listModels(): Model[];
  getModel(id: string): Model | null;
  listVersions(modelId: string): Version[];
  getVersion(id: string): Version | null;
  findVersionByImage(refOrImageId: string): Version | null;
}

export type LocalMatch = 'model' | 'model-version' | 'version-id' | 'version-prefix' | 'image';

export type NameResolution =
  | { kind: 'local'; version: Version; model: Model; matched: LocalMatch }
  | {
      kind: 'replicate';
      /** `owner/name` */
      id: string;
      owner: string;
      name: string;
      /** The full version id, when one was given (or a prefix of it was found here). */
      version?: string;
      /** A short version id that nothing here has: for Replicate's versions list to expand. */
      versionPrefix?: string;
      /** Written `r8.im/owner/name`. */
      explicit: boolean;
      /** The version here that the name stands for, when the library has one. */
      local: Version | null;
    }
  | { kind: 'image'; ref: string };

/** A name that fits several local models or versions. */
export class AmbiguousNameError extends CogdeskError {
  constructor(
    readonly ref: string,
    readonly candidates: string[],
    what: 'models' | 'versions',
  ) {
    super({
      code: 'bad_request',
      message: `"${ref}" fits ${candidates.length} local ${what}: ${candidates.join(', ')}`,
      hint: what === 'models' ? 'Write more of the name (one of those above), or a version id.' : 'Write more characters of the version id.',
    });
    this.name = 'AmbiguousNameError';
  }
}

const MIN_PREFIX = 4;
const HEX_ID = /^(?:sha256:)?([a-f0-9]{4,64})$/;
const PART = '[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?';
const REPLICATE_REF = new RegExp(`^(r8\\.im/)?(${PART})/(${PART})(?::([a-f0-9]{${MIN_PREFIX},64}))?$`);
const DOCKER_HUB = 'docker.io/';

const stripHash = (s: string) => s.replace(/^sha256:/, '');

/** The local model a name fits: exact id first; several that fit are an error. */
export function findLocalModel(lib: LibraryIndex, name: string): Model | null {
  const trimmed = name.trim();
  const exact = lib.getModel(trimmed) ?? lib.getModel(DOCKER_HUB + trimmed);
  if (exact) return exact;
  const fits = lib.listModels().filter((m) => nameMatchesModel(trimmed, m.id));
  if (fits.length > 1) throw new AmbiguousNameError(trimmed, fits.map((m) => m.id).sort(), 'models');
  return fits[0] ?? null;
}

/** The versions whose id (or Docker image id) starts with `prefix`, from `versions` or the whole library. */
function versionsByPrefix(lib: LibraryIndex, prefix: string, versions?: Version[]): Version[] {
  const all = versions ?? lib.listModels().flatMap((m) => lib.listVersions(m.id));
  const byId = all.filter((v) => v.id.startsWith(prefix));
  return byId.length > 0 ? byId : all.filter((v) => stripHash(v.imageId).startsWith(prefix));
}

function oneVersion(ref: string, found: Version[]): Version | null {
  if (found.length > 1) throw new AmbiguousNameError(ref, found.map((v) => `${v.id.slice(0, 12)} (${v.modelId})`).sort(), 'versions');
  return found[0] ?? null;
}

function latestOf(lib: LibraryIndex, model: Model): Version | null {
  return model.latestVersionId ? lib.getVersion(model.latestVersionId) : null;
}

/** Resolves `ref` as described at the top of this file. Throws only for an empty or ambiguous name. */
export function resolveName(lib: LibraryIndex, ref: string): NameResolution {
  const trimmed = ref.trim();
  if (!trimmed) throw new CogdeskError({ code: 'bad_request', message: 'No model or version given', hint: 'Name a model (cogdesk models lists them), a version id or an image.' });
  const replicate = REPLICATE_REF.exec(trimmed);
  const asReplicate = (local: Version | null, version?: string): NameResolution => {
    const [, r8, owner, name, given] = replicate!;
    const full = version ?? (given?.length === 64 ? given : undefined);
    const out: NameResolution = { kind: 'replicate', id: `${owner}/${name}`, owner, name, explicit: !!r8, local };
    if (full) out.version = full;
    else if (given) out.versionPrefix = given;
    return out;
  };
  const localOf = (version: Version, matched: LocalMatch): NameResolution => ({ kind: 'local', version, model: lib.getModel(version.modelId)!, matched });
  /** Replicate's name of a model exactly (`owner/name`, or `docker.io/owner/name` as `cog build` makes). */
  const isExactly = (model: Model, id: string) => model.id === id || model.id === DOCKER_HUB + id;

  if (replicate?.[1]) {
    const id = `${replicate[2]}/${replicate[3]}`;
    const given = replicate[4];
    const model = lib.getModel(id);
    const local = model ? (given ? oneVersion(trimmed, versionsByPrefix(lib, given, lib.listVersions(id))) : latestOf(lib, model)) : null;
    return asReplicate(local, given && local ? local.id : undefined);
  }

  // 1. a local model's name, or NAME:PREFIX
  const colon = trimmed.lastIndexOf(':');
  const hexTail = colon > trimmed.lastIndexOf('/') ? HEX_ID.exec(trimmed.slice(colon + 1)) : null;
  const modelName = hexTail ? trimmed.slice(0, colon) : trimmed;
  const model = findLocalModel(lib, modelName);
  if (model) {
    const version = hexTail ? oneVersion(trimmed, versionsByPrefix(lib, hexTail[1], lib.listVersions(model.id))) : latestOf(lib, model);
    if (version) {
      if (replicate && isExactly(model, `${replicate[2]}/${replicate[3]}`)) return asReplicate(version, hexTail ? version.id : undefined);
      return localOf(version, hexTail ? 'model-version' : 'model');
    }
  }

  // 2. a version id, full or short
  const hex = HEX_ID.exec(trimmed);
  if (hex) {
    const exact = hex[1].length === 64 ? lib.getVersion(hex[1]) : null;
    const version = exact ?? oneVersion(trimmed, versionsByPrefix(lib, hex[1]));
    if (version) return localOf(version, exact || version.id.length === hex[1].length ? 'version-id' : 'version-prefix');
  }

  // 3. an image reference the library has
  const byImage = lib.findVersionByImage(trimmed) ?? normalizedImage(lib, trimmed);
  if (byImage) return localOf(byImage, 'image');

  // 4. Replicate's owner/name[:version]
  if (replicate) {
    const given = replicate[4];
    const local = given?.length === 64 ? lib.getVersion(given) : null;
    return asReplicate(local && local.modelId === `${replicate[2]}/${replicate[3]}` ? local : null);
  }
  return { kind: 'image', ref: trimmed };
}

function normalizedImage(lib: LibraryIndex, ref: string): Version | null {
  try {
    return lib.findVersionByImage(parseImageRef(ref).full);
  } catch {
    return null;
  }
}

/** The local version a name stands for (a Replicate name too, when the library has it); null when none. */
export function resolveLocalVersion(lib: LibraryIndex, ref: string): Version | null {
  const r = resolveName(lib, ref);
  if (r.kind === 'local') return r.version;
  if (r.kind === 'replicate') return r.local;
  return null;
}

/** The local model a name stands for: a model name, or any name of one of its versions; null when none. */
export function resolveLocalModel(lib: LibraryIndex, ref: string): Model | null {
  const model = findLocalModel(lib, ref);
  if (model) return model;
  const version = resolveLocalVersion(lib, ref);
  return version ? lib.getModel(version.modelId) : null;
}

/**
 * The local versions a `stop`/`rm` argument names: all of a model's for a model name, one for a version;
 * nothing here by that name is an error that says how to list what is.
 */
export function versionsNamed(lib: LibraryIndex, arg: string): Version[] {
  const r = resolveName(lib, arg);
  if (r.kind === 'local') return r.matched === 'model' ? lib.listVersions(r.model.id) : [r.version];
  if (r.kind === 'replicate' && r.local) return r.version ? [r.local] : lib.listVersions(r.local.modelId);
  throw new CogdeskError({ code: 'not_found', message: `No local model or version "${arg.trim()}"`, hint: 'List the local models with: cogdesk models' });
}
