/**
 * Strict checks of the local API's answers against Replicate's published schema (replicate-openapi.json,
 * a copy of /work/shared/reference/replicate-openapi.json): every JSON answer of a declared operation must
 * validate, with none of the allowances real recordings need; error answers must be problem+json with
 * title, detail and status; event streams must say `text/event-stream` exactly.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Obj = Record<string, unknown>;

export const OPENAPI_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'replicate-openapi.json');

const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as Obj & { paths: Record<string, Record<string, Obj>> };
// The document says openapi 3.1.0 but writes `nullable` the 3.0 way, which ajv reads.
const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
ajv.addSchema(doc, 'replicate');

const PROBLEM = ajv.compile({
  type: 'object',
  required: ['title', 'detail', 'status'],
  properties: {
    title: { type: 'string', minLength: 1 },
    detail: { type: 'string', minLength: 1 },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    invalid_fields: { type: 'array', items: { type: 'object', required: ['type', 'field', 'description'] } },
  },
});

const templates = Object.keys(doc.paths).map((t) => ({
  template: t,
  regex: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  specificity: t.split('/').filter((s) => !s.startsWith('{')).length,
}));
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const compiled = new Map<string, ValidateFunction>();

/** A schema of the document by name (`schemas_prediction_response`). */
export function schemaValidator(name: string): ValidateFunction {
  const ref = `replicate#/components/schemas/${name}`;
  let v = compiled.get(ref);
  if (!v) compiled.set(ref, (v = ajv.compile({ $ref: ref })));
  return v;
}

/**
 * What is wrong with one answer (empty when nothing). `path` is the URL path (`/v1/...` or
 * `/data-uri/v1/...`).
 */
export function checkAnswer(method: string, urlPath: string, status: number, contentType: string, body: string): string[] {
  const path = urlPath.replace(/^\/data-uri/, '').replace(/^\/v1/, '');
  const where = `${method} ${urlPath} ${status}`;
  const media = contentType.split(';')[0].trim().toLowerCase();
  if (method.toUpperCase() === 'OPTIONS' && status === 204) return []; // a CORS preflight, not an API call
  if (/^\/predictions\/[^/]+\/stream$/.test(path) && status === 200) {
    return contentType === 'text/event-stream' ? [] : [`${where}: stream content-type is "${contentType}", not exactly text/event-stream`];
  }
  if (/^\/outputs\//.test(path) || /^\/files\/[^/]+\/download$/.test(path)) {
    if (status < 400) return [];
  }
  if (status >= 400) {
    if (media !== 'application/problem+json') return [`${where}: error content-type ${contentType}`];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`${where}: error body is not JSON`];
    }
    if (!PROBLEM(parsed)) return [`${where}: not a problem body: ${ajv.errorsText(PROBLEM.errors)} in ${body.slice(0, 200)}`];
    if ((parsed as { status: number }).status !== status) return [`${where}: problem status ${(parsed as { status: number }).status}`];
    return [];
  }
  const m = method.toLowerCase();
  const match = templates.filter((t) => t.regex.test(path) && doc.paths[t.template][m]).sort((a, b) => b.specificity - a.specificity)[0];
  if (!match) return [`${where}: no operation ${method} ${path} in the schema`];
  const op = doc.paths[match.template][m] as { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
  const declared = op.responses?.[String(status)];
  if (!declared) return [`${where}: status ${status} is not declared for ${method.toUpperCase()} ${match.template}`];
  if (!declared.content) return body.length === 0 ? [] : [`${where}: a body where none is declared`];
  const mediaSchema = declared.content[media];
  if (!mediaSchema) return [`${where}: content-type ${contentType} not declared (${Object.keys(declared.content).join(', ')})`];
  if (!mediaSchema.schema) return [];
  const ref = `replicate#/${pointer('paths', match.template, m, 'responses', String(status), 'content', media, 'schema')}`;
  let validate = compiled.get(ref);
  if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: ref })));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`${where}: body is not JSON`];
  }
  return validate(parsed) ? [] : [`${where}: ${ajv.errorsText(validate.errors)}`];
}

/**
 * A fetch for the official client that checks every answer it gets from the local API (and passes it on
 * unchanged); what is wrong goes into `problems`.
 */
export function checkingFetch(problems: string[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href);
    if (url.protocol !== 'http:') return res;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const contentType = res.headers.get('content-type') ?? '';
    const body = contentType.startsWith('text/event-stream') || !/json/.test(contentType) ? '' : await res.clone().text();
    problems.push(...checkAnswer(method, url.pathname, res.status, contentType, body));
    return res;
  };
}
