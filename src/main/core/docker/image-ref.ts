import { CogdeskError } from '../../../shared/errors';

/** An image reference, normalized the way Docker does it (`ubuntu` is `docker.io/library/ubuntu:latest`). */
export interface ImageRef {
  /** `docker.io`, `r8.im`, `127.0.0.1:5100`, ... */
  registry: string;
  /** The path inside the registry: `library/ubuntu`, `owner/name`. */
  repository: string;
  /** The tag as written; undefined when none was given (a pull then uses `latest` unless there is a digest). */
  tag?: string;
  /** `sha256:<64 hex>` when the reference pins one. */
  digest?: string;
  /** `registry/repository`: the name without tag or digest. */
  name: string;
  /** What to pull: `registry/repository@digest` when pinned, else `registry/repository:tag` (tag defaults to latest). */
  full: string;
}

export const DOCKER_HUB = 'docker.io';

// Docker's reference grammar (github.com/distribution/reference).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGESTS: Record<string, RegExp> = { sha256: /^[a-f0-9]{64}$/, sha512: /^[a-f0-9]{128}$/ };
const HEX64 = /^[a-f0-9]{64}$/;

function invalid(ref: string, why: string, hint?: string): CogdeskError {
  return new CogdeskError({
    code: 'bad_request',
    message: `"${ref}" is not a valid image reference: ${why}`,
    hint: hint ?? 'Write it like owner/name, owner/name:tag, r8.im/owner/name@sha256:<64 hex> or host:port/path:tag',
  });
}

/** Parses and normalizes an image reference; throws CogdeskError('bad_request') when it is not valid. */
export function parseImageRef(input: string): ImageRef {
  const ref = typeof input === 'string' ? input.trim() : '';
  if (!ref) throw invalid(String(input ?? ''), 'it is empty');
  if (/^[a-z]+:\/\//i.test(ref)) {
    throw invalid(ref, 'it has a URL scheme', `Leave out the scheme: ${ref.replace(/^[a-z]+:\/\//i, '')}`);
  }
  if (/\s/.test(ref)) throw invalid(ref, 'it contains spaces');

  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const [algo, hex, extra] = digest.split(':');
    if (extra !== undefined || !algo || !hex || !DIGESTS[algo]?.test(hex)) {
      throw invalid(ref, `"${digest}" is not a digest`, 'A digest looks like sha256: followed by 64 lowercase hex characters');
    }
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(ref, `"${tag}" is not a valid tag`, 'Tags use letters, digits, _ . and -, up to 128 characters');
  }

  let registry = DOCKER_HUB;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      registry = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(registry)) throw invalid(ref, `"${registry}" is not a valid registry host`);
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (!path) throw invalid(ref, 'the repository name is missing');
  if (registry === DOCKER_HUB && HEX64.test(path)) {
    throw invalid(ref, 'it looks like an image id, not a name', 'Use the image name (owner/name), or its digest as name@sha256:...');
  }
  for (const part of path.split('/')) {
    if (part !== part.toLowerCase()) throw invalid(ref, 'repository names must be lowercase');
    if (!PATH_COMPONENT.test(part)) throw invalid(ref, `"${part}" is not a valid name component`);
  }
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;

  const name = `${registry}/${path}`;
  if (name.length > 255) throw invalid(ref, 'the name is longer than 255 characters');
  const full = digest ? `${name}@${digest}` : `${name}:${tag ?? 'latest'}`;
  const parsed: ImageRef = { registry, repository: path, name, full };
  if (tag !== undefined) parsed.tag = tag;
  if (digest !== undefined) parsed.digest = digest;
  return parsed;
}

/** True when the string is a valid image reference. */
export function isImageRef(input: string): boolean {
  try {
    parseImageRef(input);
    return true;
  } catch {
    return false;
  }
}

/** Two references name the same repository (`ubuntu` and `docker.io/library/ubuntu:22.04` do). */
export function sameRepository(a: string | ImageRef, b: string | ImageRef): boolean {
  const pa = typeof a === 'string' ? tryParse(a) : a;
  const pb = typeof b === 'string' ? tryParse(b) : b;
  return !!pa && !!pb && pa.name === pb.name;
}

/**
 * Picks the digest from an image's RepoDigests (`name@sha256:...`) that belongs to the given reference's
 * repository; returns `sha256:...`, or undefined when the image has none for it.
 */
export function repoDigestFor(repoDigests: readonly string[] | null | undefined, ref: string | ImageRef): string | undefined {
  for (const entry of repoDigests ?? []) {
    const p = tryParse(entry);
    if (p?.digest && sameRepository(p, ref)) return p.digest;
  }
  return undefined;
}

function tryParse(ref: string): ImageRef | undefined {
  try {
    return parseImageRef(ref);
  } catch {
    return undefined;
  }
}
