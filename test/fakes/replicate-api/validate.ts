/**
 * Checks answers of Replicate's API (the fake's, and the real recorded ones) against the published
 * replicate-openapi.json with ajv. Where reality is looser than the published schema, the difference is
 * named in KNOWN_DIFFERENCES (each one seen in real recordings; see recorded/README.md) and reported as
 * `known`; anything else is `unexplained`, which a test must never see.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { OPENAPI_PATH } from './world';

type Obj = Record<string, unknown>;

export interface Issue {
  /** Where in the body (JSON pointer) and what. */
  path: string;
  message: string;
  /** The KNOWN_DIFFERENCES entry that explains it, if any. */
  known?: string;
}

export interface Verdict {
  /** `GET /models/{model_owner}/{model_name}`, or null when the schema has no such operation. */
  operation: string | null;
  issues: Issue[];
  unexplained: Issue[];
}

/**
 * Ways real answers differ from the published schema (SHAPE-DIFFS.md): each with the check that spots it.
 */
export const KNOWN_DIFFERENCES: Array<{ name: string; test: (e: ErrorObject | { keyword: 'status'; status: number }) => boolean }> = [
  {
    name: 'prediction urls.web is required by the schema but absent in every recording',
    test: (e) => e.keyword === 'required' && 'instancePath' in e && /\/urls$/.test(e.instancePath) && e.params.missingProperty === 'web',
  },
  {
    name: 'prediction data_removed is required by the schema but absent in pre-2024-10 recordings',
    test: (e) => e.keyword === 'required' && 'params' in e && e.params.missingProperty === 'data_removed',
  },
  {
    name: 'prediction logs is null in recordings (the schema says string)',
    test: (e) => e.keyword === 'type' && 'instancePath' in e && /\/logs$/.test(e.instancePath),
  },
  {
    name: 'error statuses (401, 402, 404, 422, 429, 5xx) are not declared for most operations, though the API answers them (402: no credit; 422: a version that does not exist or may not be run)',
    test: (e) => e.keyword === 'status' && 'status' in e && [400, 401, 402, 403, 404, 422, 429, 500, 502, 503].includes(e.status),
  },
];

/** What an error answer looks like (recorded 401/404, the 429 detail body): problem+json. */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['detail'],
  properties: { detail: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' } },
};

export function createValidator(): { validate(method: string, path: string, status: number, contentType: string, body: string): Verdict } {
  const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as Obj & { paths: Record<string, Record<string, Obj>> };
  // The published document says openapi 3.1.0 but writes nullable the OpenAPI 3.0 way; ajv reads `nullable`.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  ajv.addSchema(doc, 'replicate');
  const compiled = new Map<string, ValidateFunction>();
  const problem = ajv.compile(PROBLEM_SCHEMA);

  const templates = Object.keys(doc.paths).map((t) => ({
    template: t,
    regex: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    specificity: t.split('/').filter((s) => !s.startsWith('{')).length,
  }));

  const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

  return {
    validate(method, fullPath, status, contentType, body) {
      const path = fullPath.replace(/^\/v1/, '').replace(/\/+$/, '') || '/';
      const m = method.toLowerCase();
      const match = templates
        .filter((t) => t.regex.test(path) && doc.paths[t.template][m])
        .sort((a, b) => b.specificity - a.specificity)[0];
      if (!match) return { operation: null, issues: [{ path: '', message: `no operation ${method} ${path} in the schema` }], unexplained: [{ path: '', message: `no operation ${method} ${path}` }] };
      const operation = `${method.toUpperCase()} ${match.template}`;
      const op = doc.paths[match.template][m] as { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
      const issues: Issue[] = [];
      const declared = op.responses?.[String(status)];
      const mediaType = contentType.split(';')[0].trim().toLowerCase();

      if (!declared) {
        const known = KNOWN_DIFFERENCES.find((k) => k.test({ keyword: 'status', status }))?.name;
        issues.push({ path: '', message: `status ${status} is not declared for ${operation}`, known });
        if (status >= 400) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = undefined;
          }
          if (!problem(parsed)) issues.push({ path: '', message: `error body is not problem+json with a detail: ${body.slice(0, 100)}` });
          if (!['application/problem+json', 'application/json'].includes(mediaType)) issues.push({ path: '', message: `error content-type ${contentType}` });
        }
      } else if (declared.content) {
        const media = declared.content[mediaType];
        if (!media) {
          issues.push({ path: '', message: `content-type ${contentType} is not declared (declared: ${Object.keys(declared.content).join(', ')})` });
        } else if (media.schema) {
          const ref = `replicate#/${pointer('paths', match.template, m, 'responses', String(status), 'content', mediaType, 'schema')}`;
          let validate = compiled.get(ref);
          if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: ref })));
          let parsed: unknown = body;
          if (mediaType.endsWith('json')) {
            try {
              parsed = JSON.parse(body);
            } catch (e) {
              issues.push({ path: '', message: `body is not JSON: ${String(e)}` });
            }
          }
          if (!validate(parsed)) {
            for (const e of validate.errors ?? []) {
              const known = KNOWN_DIFFERENCES.find((k) => k.test(e))?.name;
              issues.push({ path: e.instancePath, message: `${e.keyword}: ${e.message ?? ''} ${JSON.stringify(e.params)}`, known });
            }
          }
        }
      }
      return { operation, issues, unexplained: issues.filter((i) => !i.known) };
    },
  };
}
