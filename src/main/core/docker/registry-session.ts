/**
 * One repository's conversation with a registry over the HTTP API v2 (what registry-config.ts reads labels
 * with, and managed weights are fetched with): manifests and blobs, auth the way Docker does it (anonymous
 * first; on 401 the `WWW-Authenticate` challenge says how), plain http only for loopback registries, blob
 * redirects followed with credentials never sent to another host, small answers bounded in size and time and
 * checked against their digest; large blobs as a stream whose reader checks the digest.
 */
import { CogdeskError } from '../../../shared/errors';
import { registryAuthFor, type RegistryAuth } from './auth';
import { DOCKER_HUB } from './image-ref';
import { readBounded, registryErrorText, verifyDigest } from './registry-body';
import { basicHeader, parseChallenge, type AuthChallenge } from './registry-challenge';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
} as const;
const ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.ociManifest].join(', ');

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 20_000;

export interface RegistryReadOptions {
  /** Per request (default 20 s); for a streamed blob, until its headers arrive. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The Docker config file to read credentials from (default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`). */
  dockerConfigPath?: string;
  /** Credentials to use instead of the Docker config's (null: none at all). */
  auth?: RegistryAuth | null;
  /** Which image of a multi-platform index (default linux/amd64, what Cog builds). */
  platform?: { os: string; architecture: string };
  fetch?: typeof fetch;
}

/** A registry's answer: status, headers and (bounded) body; `res` when the body was left to stream. */
interface Answer {
  status: number;
  headers: Headers;
  body: Buffer;
  res?: Response;
}

/** True for registries Docker talks plain http to by default (loopback). */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The base URL of a registry's API: `https://r8.im`, `http://127.0.0.1:5100`, Docker Hub's `registry-1.docker.io`. */
export function registryBaseUrl(registry: string): string {
  if (registry === DOCKER_HUB) return 'https://registry-1.docker.io';
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}

export function notAnImage(ref: string, why: string): CogdeskError {
  return new CogdeskError({ code: 'registry_error', message: `${ref} is not an image Cogdesk can read: ${why}`, hint: 'Pick another version, or check the registry (COGDESK_REGISTRY).' });
}

/** One repository's conversation with a registry: the auth it earned is reused for the next requests. */
export class RegistrySession {
  private authorization: string | null = null;
  private credentials: Promise<RegistryAuth | undefined> | null = null;
  private readonly origin: string;

  constructor(
    private readonly registry: string,
    private readonly repository: string,
    private readonly base: string,
    private readonly ref: string,
    private readonly o: RegistryReadOptions,
  ) {
    this.origin = new URL(base).origin;
  }

  async manifest(reference: string, expectedDigest: string | null): Promise<{ json: unknown; body: Buffer; mediaType: string | null; digestHeader: string | null }> {
    const url = `${this.base}/v2/${this.repository}/manifests/${reference}`;
    const answer = await this.authed(url, { accept: ACCEPT }, MAX_MANIFEST_BYTES);
    if (answer.status !== 200) throw this.failure(answer, 'manifest');
    if (expectedDigest) verifyDigest(answer.body, expectedDigest, `the manifest of ${this.ref}`);
    let json: unknown;
    try {
      json = JSON.parse(answer.body.toString('utf8'));
    } catch {
      throw notAnImage(this.ref, 'its manifest is not JSON');
    }
    if (!json || typeof json !== 'object') throw notAnImage(this.ref, 'its manifest is not a JSON object');
    const mediaType = answer.headers.get('content-type')?.split(';')[0]?.trim() ?? null;
    return { json, body: answer.body, mediaType, digestHeader: answer.headers.get('docker-content-digest') };
  }

  /** A blob by digest, following redirects (credentials only to the registry itself), verified. */
  async blob(digest: string, maxBytes: number, what = 'config'): Promise<Buffer> {
    const answer = await this.blobAnswer(digest, maxBytes, what, false);
    verifyDigest(answer.body, digest, `the ${what} of ${this.ref}`);
    return answer.body;
  }

  /**
   * A large blob as a stream (the timeout covers only its headers): the caller reads the body and checks its
   * digest while it reads.
   */
  async openBlob(digest: string, what: string): Promise<Response> {
    const answer = await this.blobAnswer(digest, 0, what, true);
    return answer.res!;
  }

  private async blobAnswer(digest: string, maxBytes: number, what: string, stream: boolean): Promise<Answer> {
    let url = `${this.base}/v2/${this.repository}/blobs/${digest}`;
    let answer = await this.authed(url, {}, maxBytes, stream);
    for (let hops = 0; answer.status >= 300 && answer.status < 400; hops++) {
      const location = answer.headers.get('location');
      if (!location || hops >= MAX_REDIRECTS) throw this.failure(answer, `${what} blob`);
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && !(next.protocol === 'http:' && isLoopbackRegistry(next.host))) {
        throw new CogdeskError({
          code: 'registry_error',
          message: `${this.registry} redirected the ${what} of ${this.ref} to ${next.protocol}//${next.host}, which is not https`,
          hint: 'Check the registry (COGDESK_REGISTRY) and try again.',
        });
      }
      url = next.toString();
      const sameHost = next.origin === this.origin;
      answer = await this.request(url, sameHost && this.authorization ? { authorization: this.authorization } : {}, maxBytes, {}, stream);
    }
    if (answer.status !== 200) throw this.failure(answer, `${what} blob`);
    return answer;
  }

  /** A request to the registry itself: anonymous (or with the auth already earned); on 401, answers the challenge once. */
  private async authed(url: string, headers: Record<string, string>, maxBytes: number, stream = false): Promise<Answer> {
    const first = await this.request(url, this.authorization ? { ...headers, authorization: this.authorization } : headers, maxBytes, {}, stream);
    if (first.status !== 401) return first;
    const challenges = parseChallenge(first.headers.get('www-authenticate'));
    const authorization = await this.answerChallenge(challenges);
    if (!authorization) throw this.unauthorized(await this.creds(), challenges.length === 0 ? 'it asked for credentials without saying how' : null);
    this.authorization = authorization;
    const second = await this.request(url, { ...headers, authorization }, maxBytes, {}, stream);
    if (second.status === 401 || second.status === 403) throw this.unauthorized(await this.creds(), null, true);
    return second;
  }

  private creds(): Promise<RegistryAuth | undefined> {
    if (this.o.auth !== undefined) return Promise.resolve(this.o.auth ?? undefined);
    return (this.credentials ??= registryAuthFor(`${this.registry}/${this.repository}`, { configPath: this.o.dockerConfigPath }));
  }

  private async answerChallenge(challenges: AuthChallenge[]): Promise<string | null> {
    const creds = await this.creds();
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) return this.bearerToken(bearer, creds);
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (basic && creds?.username && creds.password !== undefined) return basicHeader(creds.username, creds.password);
    return null;
  }

  /** The token flow of the distribution spec: GET the realm (Basic with the user's credentials), or POST a refresh token. */
  private async bearerToken(c: AuthChallenge, creds: RegistryAuth | undefined): Promise<string> {
    let realm: URL;
    try {
      realm = new URL(c.params.realm!);
    } catch {
      throw new CogdeskError({ code: 'registry_error', message: `${this.registry} named a token service that is not a URL (${c.params.realm})`, hint: 'Check the registry (COGDESK_REGISTRY).' });
    }
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopbackRegistry(realm.host))) {
      throw new CogdeskError({ code: 'registry_error', message: `${this.registry} named a token service over plain http (${realm.origin})`, hint: 'Cogdesk sends credentials only over https (or to loopback).' });
    }
    const scope = c.params.scope || `repository:${this.repository}:pull`;
    let answer: Answer;
    if (creds?.identitytoken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identitytoken, client_id: 'cogdesk', scope });
      if (c.params.service) form.set('service', c.params.service);
      answer = await this.request(realm.toString(), { 'content-type': 'application/x-www-form-urlencoded' }, MAX_TOKEN_BYTES, { method: 'POST', body: form.toString() });
    } else {
      if (c.params.service) realm.searchParams.set('service', c.params.service);
      realm.searchParams.set('scope', scope);
      const headers: Record<string, string> = {};
      if (creds?.username && creds.password !== undefined) headers.authorization = basicHeader(creds.username, creds.password);
      answer = await this.request(realm.toString(), headers, MAX_TOKEN_BYTES);
    }
    if (answer.status === 401 || answer.status === 403) throw this.unauthorized(creds, null, true);
    if (answer.status !== 200) throw this.failure(answer, 'token');
    let token: unknown;
    try {
      const json = JSON.parse(answer.body.toString('utf8')) as { token?: unknown; access_token?: unknown };
      token = json.token ?? json.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) {
      throw new CogdeskError({ code: 'registry_error', message: `The token service of ${this.registry} gave no token`, hint: 'Try again later.' });
    }
    return `Bearer ${token}`;
  }

  private async request(
    url: string,
    headers: Record<string, string>,
    maxBytes: number,
    init: { method?: string; body?: string } = {},
    stream = false,
  ): Promise<Answer> {
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = this.o.signal ? AbortSignal.any([this.o.signal, timeout.signal]) : timeout.signal;
    const doFetch = this.o.fetch ?? fetch;
    const host = new URL(url).host;
    try {
      const res = await doFetch(url, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual', signal });
      if (stream && res.status === 200) return { status: res.status, headers: res.headers, body: Buffer.alloc(0), res };
      const body = await readBounded(res, stream ? MAX_MANIFEST_BYTES : maxBytes, `${host}'s answer`);
      return { status: res.status, headers: res.headers, body };
    } catch (e) {
      if (e instanceof CogdeskError) throw e;
      if (this.o.signal?.aborted) throw new CogdeskError({ code: 'canceled', message: `Reading ${this.ref} from its registry was canceled`, hint: 'Open the model again to check whether it fits.' });
      if (timeout.signal.aborted) {
        throw new CogdeskError(
          { code: 'timeout', message: `${host} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`, hint: 'Check the network connection, then try again.' },
          { cause: e },
        );
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
      throw new CogdeskError(
        {
          code: 'registry_error',
          message: `Cannot reach ${host} (${why})`,
          hint: `Check the network connection${this.registry === 'r8.im' ? '' : ` and the registry address (COGDESK_REGISTRY=${this.registry})`}, then try again.`,
          details: 'unreachable',
        },
        { cause: e },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private unauthorized(creds: RegistryAuth | undefined, why: string | null, refused = false): CogdeskError {
    const message = creds
      ? `${this.registry} refused the Docker credentials for ${this.repository}`
      : refused
        ? `${this.registry} refused to let ${this.repository} be read without credentials`
      : `${this.registry} needs credentials to read ${this.repository}${why ? ` (${why})` : ''}`;
    return new CogdeskError({
      code: 'registry_unauthorized',
      message,
      hint: creds
        ? `Log in again with \`docker login ${this.registry}\`, and check that this account can read ${this.repository}.`
        : `Log in with \`docker login ${this.registry}\` (Cogdesk uses your Docker credentials), then try again.`,
    });
  }

  private failure(answer: Answer, what: string): CogdeskError {
    const detail = registryErrorText(answer.body);
    if (answer.status === 404) {
      return new CogdeskError({
        code: 'not_found',
        message: `${this.ref} is not in ${this.registry}${what === 'manifest' ? '' : ` (its ${what} is missing)`}`,
        hint: 'Check the model name and the version id; the version may have been deleted.',
        details: detail || undefined,
      });
    }
    if (answer.status === 401 || answer.status === 403) return this.unauthorized(undefined, null);
    if (answer.status === 429) {
      return new CogdeskError({ code: 'registry_error', message: `${this.registry} is rate limiting requests`, hint: 'Wait a minute, then try again.', details: detail || undefined });
    }
    return new CogdeskError({
      code: 'registry_error',
      message: `${this.registry} answered ${answer.status} for the ${what} of ${this.ref}`,
      hint: answer.status >= 500 ? 'The registry has a problem: try again later.' : 'Check the registry (COGDESK_REGISTRY) and the reference.',
      details: detail || undefined,
    });
  }
}

