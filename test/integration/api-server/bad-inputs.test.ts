/**
 * Every bad request of test/bad-inputs/api-cases.ts against a real server over real Cog models: the status
 * and the words each answer must have, no model run for any of them, and the server still up after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { openCore } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';
import { API_BAD_CASES, API_CASES_SERVER, type CaseContext } from '../../bad-inputs/api-cases';
import { rawCall, uploadBody } from './raw-call';

type TestCore = Awaited<ReturnType<typeof openCore>>;

describe('bad requests to the local API (test/bad-inputs/api-cases.ts)', () => {
  let core: TestCore;
  let server: ApiServer;
  let context: CaseContext;

  beforeAll(async () => {
    core = await openCore();
    const echo = await core.ensureVersion(fixtureImage('echo'));
    const file = await core.ensureVersion(fixtureImage('file'));
    server = await startApiServer(core, { port: 0, ...API_CASES_SERVER });
    context = { echo: echo.id, file: file.id, home: core.paths.home };
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });

  it('answers each with its status and a message that says what to do, and runs nothing', async () => {
    const wrong: string[] = [];
    const problems: string[] = [];
    for (const c of API_BAD_CASES) {
      let body: string | Buffer | undefined = c.body?.(context);
      const headers: Record<string, string> = {};
      if (c.uploadBytes !== undefined) {
        const upload = await uploadBody(Buffer.alloc(c.uploadBytes, 1), 'big.bin', 'application/octet-stream');
        body = upload.body;
        headers['Content-Type'] = upload.contentType;
      }
      const res = await rawCall(server, c.method, c.path, { body, headers }, problems).catch((e: Error) => ({ status: 0, text: e.message, json: () => ({}) }));
      if (res.status !== c.status) {
        wrong.push(`${c.name}: status ${res.status}, expected ${c.status}: ${res.text.slice(0, 300)}`);
        continue;
      }
      let answer: { detail?: string; invalid_fields?: Array<{ field: string }> };
      try {
        answer = res.json();
      } catch {
        wrong.push(`${c.name}: the answer is not a problem body: ${JSON.stringify(res.text.slice(0, 200))}`);
        continue;
      }
      const detail = answer.detail ?? '';
      for (const words of c.says) if (!detail.includes(words)) wrong.push(`${c.name}: the answer does not say "${words}": ${detail}`);
      for (const words of c.neverSays ?? []) if (detail.includes(words)) wrong.push(`${c.name}: the answer says "${words}": ${detail}`);
      if (c.field !== undefined && !answer.invalid_fields?.some((f) => f.field === c.field)) {
        wrong.push(`${c.name}: invalid_fields does not name "${c.field}": ${JSON.stringify(answer.invalid_fields)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(problems, 'answers that are not problem bodies').toEqual([]);
    expect(await core.listPredictions()).toEqual([]);
    expect((await rawCall(server, 'GET', '/v1/hardware')).status).toBe(200);
  });
});
