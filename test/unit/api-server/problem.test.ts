import { describe, expect, it } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { ApiProblem, toProblem, unauthenticated } from '../../../src/main/core/api-server/problem';

describe('errors as problem bodies', () => {
  it('answers 401 with the body Replicate sends', () => {
    const p = unauthenticated();
    expect(p.status).toBe(401);
    expect(p.body()).toMatchObject({ title: 'Unauthenticated', status: 401 });
    expect(p.body().detail.startsWith('You did not pass a valid authentication token. ')).toBe(true);
  });

  it('maps engine errors by code, with their hint in the detail and field errors as invalid_fields', () => {
    const input = toProblem(
      new CogdeskError({
        code: 'input_invalid',
        message: 'The input is not valid for this model: 2 problems',
        hint: 'Fix these and try again.',
        fields: [
          { field: 'times', code: 'range', message: 'times: must be at most 10' },
          { field: 'nope', code: 'unknown', message: 'nope: not an input of this model' },
        ],
      }),
    );
    expect(input.status).toBe(422);
    expect(input.body()).toEqual({
      title: 'Input validation failed',
      detail: 'The input is not valid for this model: 2 problems. Fix these and try again.',
      status: 422,
      hint: 'Fix these and try again.',
      invalid_fields: [
        { type: 'out_of_range', field: 'times', description: 'times: must be at most 10' },
        { type: 'additional_property_not_allowed', field: 'nope', description: 'nope: not an input of this model' },
      ],
    });
    expect(toProblem(new CogdeskError({ code: 'not_found', message: 'x' })).status).toBe(404);
    expect(toProblem(new CogdeskError({ code: 'docker_unavailable', message: 'Docker is not running' })).status).toBe(503);
    expect(toProblem(new CogdeskError({ code: 'bad_request', message: 'x' })).status).toBe(400);
    expect(toProblem(new CogdeskError({ code: 'internal', message: 'x' })).status).toBe(500);
  });

  it('keeps an ApiProblem as it is and makes anything else a 500 that says what happened', () => {
    const p = new ApiProblem(413, 'Content Too Large', 'too big');
    expect(toProblem(p)).toBe(p);
    expect(toProblem(new Error('disk full')).body()).toEqual({ title: 'Internal error', detail: 'disk full', status: 500 });
  });

  it("answers 507 with what to do when the disk is full (SQLite's SQLITE_FULL, ENOSPC), never a bare 500", () => {
    const sqlite = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    for (const e of [sqlite, enospc]) {
      const body = toProblem(e).body();
      expect(body.status).toBe(507);
      expect(body.detail).toMatch(/disk is full.*Free some space/s);
    }
  });
});
