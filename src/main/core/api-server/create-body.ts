/**
 * The body of `POST /v1/predictions` and `POST /v1/models/{owner}/{name}/predictions`, checked the way
 * Replicate does (422 with `invalid_fields` naming each field, unknown keys refused), and the webhook
 * target: an http(s) URL that is not link-local (169.254.0.0/16, fe80::/10: cloud metadata services and
 * other machines' configuration live there, never a webhook receiver).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ApiProblem, invalidField, type InvalidField } from './problem';
import { WEBHOOK_EVENTS, type WebhookEvent } from './webhooks';

export const CREATE_KEYS = ['version', 'input', 'webhook', 'webhook_events_filter', 'stream'];
export const MODEL_CREATE_KEYS = ['input', 'webhook', 'webhook_events_filter', 'stream'];

export interface CreateBody {
  input: Record<string, unknown>;
  webhook?: string;
  events: WebhookEvent[];
}

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

/** How long the name of a webhook host may take to resolve before it is taken as it is. */
const LOOKUP_MS = 2_000;

function isLinkLocal(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LINK_LOCAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook URL may not be used, or null. A host name is resolved (briefly) to see where it points. */
export async function webhookTargetProblem(url: URL): Promise<string | null> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refuse = (address: string) =>
    `webhook ${url.origin} points at the link-local address ${address} (169.254.0.0/16 or fe80::/10), where cloud metadata services live; Cogdesk does not send predictions there`;
  if (isIP(host)) return isLinkLocal(host) ? refuse(host) : null;
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    lookup(host, { all: true }).catch(() => []),
    new Promise<[]>((resolve) => {
      timer = setTimeout(() => resolve([]), LOOKUP_MS);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
  const bad = addresses.find((a) => isLinkLocal(a.address));
  return bad ? refuse(bad.address) : null;
}

export async function checkCreateBody(body: Record<string, unknown>, allowed: string[]): Promise<CreateBody> {
  const problems: InvalidField[] = [];
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) problems.push(invalidField(key, 'additional_property_not_allowed', `Additional property ${key} is not allowed`));
  }
  if (allowed.includes('version') && typeof body.version !== 'string') {
    problems.push(invalidField('version', body.version === undefined ? 'required' : 'invalid_type', body.version === undefined ? 'version is required' : 'version must be a string'));
  }
  const input = body.input;
  if (input === undefined) problems.push(invalidField('input', 'required', 'input is required (an object of the model\'s inputs, {} for none)'));
  else if (!input || typeof input !== 'object' || Array.isArray(input)) problems.push(invalidField('input', 'invalid_type', 'input must be an object'));
  let webhook: string | undefined;
  if (body.webhook !== undefined && body.webhook !== null) {
    let url: URL | null = null;
    if (typeof body.webhook === 'string') {
      try {
        url = new URL(body.webhook);
      } catch {
        url = null;
      }
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      problems.push(invalidField('webhook', 'format', 'webhook must be an http(s) URL'));
    } else {
      const why = await webhookTargetProblem(url);
      if (why) problems.push(invalidField('webhook', 'format', why));
      else webhook = body.webhook as string;
    }
  }
  let events: WebhookEvent[] = [...WEBHOOK_EVENTS];
  const filter = body.webhook_events_filter;
  if (filter !== undefined && filter !== null) {
    if (!Array.isArray(filter) || filter.some((e) => !WEBHOOK_EVENTS.includes(e as WebhookEvent))) {
      problems.push(invalidField('webhook_events_filter', 'enum', `webhook_events_filter must be a list of ${WEBHOOK_EVENTS.join(', ')}`));
    } else {
      events = [...new Set(filter as WebhookEvent[])];
    }
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') problems.push(invalidField('stream', 'invalid_type', 'stream must be a boolean'));
  if (problems.length > 0) {
    throw new ApiProblem(422, 'Invalid request', problems.map((p) => p.description).join('; '), { invalid_fields: problems });
  }
  return { input: input as Record<string, unknown>, webhook, events };
}
