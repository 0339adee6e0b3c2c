/**
 * Errors as Replicate sends them: `application/problem+json` bodies `{title, detail, status}`, plus
 * `invalid_fields` for a 422 about the input, and Cogdesk's `hint` (also folded into `detail`, which is
 * what the Python client shows).
 */
import type { ServerResponse } from 'node:http';
import { CogdeskError, toErrorInfo, type ErrorCode, type FieldError } from '../../../shared/errors';

export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

export interface ProblemBody {
  title: string;
  detail: string;
  status: number;
  hint?: string;
  invalid_fields?: InvalidField[];
}

/** A failure with its HTTP status, thrown by the route handlers. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: { hint?: string; invalid_fields?: InvalidField[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  body(): ProblemBody {
    const body: ProblemBody = { title: this.title, detail: withHint(this.detail, this.extra.hint), status: this.status };
    if (this.extra.hint) body.hint = this.extra.hint;
    if (this.extra.invalid_fields) body.invalid_fields = this.extra.invalid_fields;
    return body;
  }
}

function withHint(detail: string, hint?: string): string {
  if (!hint || detail.includes(hint)) return detail;
  return `${detail.replace(/[.\s]+$/, '')}. ${hint}`;
}

export const unauthenticated = () =>
  new ApiProblem(401, 'Unauthenticated', 'You did not pass a valid authentication token', {
    hint: 'Send `Authorization: Bearer <token>`; `cogdesk serve` prints the token, and it is kept in the api-token file of the data folder.',
    headers: { 'WWW-Authenticate': 'Bearer' },
  });

export const notFound = (what: string, hint?: string) => new ApiProblem(404, 'Not found', what, { hint });

/** One entry of `invalid_fields` per field problem, in Replicate's words. */
export function invalidField(field: string, type: string, description: string): InvalidField {
  return { type, field, description };
}

const FIELD_TYPES: Record<FieldError['code'], string> = {
  type: 'invalid_type',
  range: 'out_of_range',
  choices: 'enum',
  required: 'required',
  unknown: 'additional_property_not_allowed',
  format: 'format',
  invalid: 'invalid',
};

const STATUS: Partial<Record<ErrorCode, [number, string]>> = {
  not_found: [404, 'Not found'],
  image_not_found: [404, 'Not found'],
  input_invalid: [422, 'Input validation failed'],
  file_not_found: [422, 'Input validation failed'],
  schema_invalid: [422, 'Unusable model schema'],
  not_a_cog_image: [422, 'Not a Cog model'],
  bad_request: [400, 'Bad request'],
  canceled: [409, 'Canceled'],
  docker_unavailable: [503, 'Docker is not available'],
  registry_unauthorized: [502, 'Registry error'],
  registry_error: [502, 'Registry error'],
  pull_failed: [502, 'Registry error'],
  timeout: [504, 'Timed out'],
  disk_full: [507, 'Insufficient storage'],
};

/** Any thrown value as a problem: ApiProblem as it is, CogdeskError by its code, anything else a 500. */
export function toProblem(e: unknown): ApiProblem {
  if (e instanceof ApiProblem) return e;
  if (e instanceof CogdeskError) {
    const [status, title] = STATUS[e.code] ?? [500, 'Internal error'];
    const fields = e.fields?.map((f) => invalidField(f.field, FIELD_TYPES[f.code] ?? 'invalid', f.message));
    return new ApiProblem(status, title, e.message, { hint: e.hint, invalid_fields: fields });
  }
  // Plain errors with a known meaning (a full disk's ENOSPC or SQLITE_FULL) say it the way people can act on.
  const info = toErrorInfo(e);
  if (info.code !== 'internal') return toProblem(new CogdeskError(info));
  return new ApiProblem(500, 'Internal error', info.message || 'Something went wrong in Cogdesk');
}

export function sendProblem(res: ServerResponse, e: unknown, extraHeaders: Record<string, string> = {}): void {
  const problem = toProblem(e);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const payload = Buffer.from(JSON.stringify(problem.body()));
  res.writeHead(problem.status, {
    ...extraHeaders,
    ...problem.extra.headers,
    'Content-Type': 'application/problem+json',
    'Content-Length': payload.length,
  });
  res.end(payload);
}
