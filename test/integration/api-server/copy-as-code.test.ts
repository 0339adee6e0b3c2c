/**
 * "Copy as code" runs: the JavaScript the Playground copies for the local API, run as it is by node (with the
 * official `replicate` package this repository installs) against a real local API over the fixture models
 * (real Docker, the local registry, a real SQLite file); and the curl line, run by bash and the real curl.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { parseVersionSchema } from '../../../src/shared/schema';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { formFields } from '../../../src/renderer/src/form/fields';
import { localApiModel } from '../../../src/renderer/src/lib/apiName';
import { codeSnippet, type CodeLanguage } from '../../../src/renderer/src/lib/code';
import { openCore } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';

const run = promisify(execFile);
type TestCore = Awaited<ReturnType<typeof openCore>>;

// Inside the repository, so that `import Replicate from "replicate"` finds node_modules/replicate.
const ARTIFACTS = resolve(__dirname, '../../../test-artifacts/copy-as-code');

describe('the copied code against the local API', () => {
  let core: TestCore;
  let server: ApiServer;
  let dir: string;
  const v: Record<string, Version> = {};

  beforeAll(async () => {
    core = await openCore();
    for (const name of ['echo', 'file']) v[name] = await core.ensureVersion(fixtureImage(name));
    server = await startApiServer(core, { port: 0 });
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(ARTIFACTS, 'run-'));
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const snippet = (language: CodeLanguage, version: Version, input: Record<string, unknown>) =>
    codeSnippet(
      language,
      { kind: 'local', origin: server.origin, model: localApiModel(version.modelId), version: version.id, tokenFile: server.tokenFile },
      formFields(parseVersionSchema(version.openapiSchema)),
      input,
    );

  /** Runs a snippet with the token in the environment, as the snippet's first comment asks. */
  async function runSnippet(file: string, command: string, args: string[]): Promise<string> {
    const { stdout } = await run(command, [...args, file], { env: { ...process.env, COGDESK_TOKEN: server.token }, timeout: 120_000 });
    return stdout;
  }

  it('the JavaScript snippet runs the echo model by owner/name:version and prints its output', async () => {
    const code = snippet('javascript', v.echo, { text: "it's a fox", times: 3, style: 'shout' });
    const file = join(dir, 'echo.mjs');
    writeFileSync(file, code);
    expect((await runSnippet(file, process.execPath, [])).trim()).toBe("hello IT'S A FOX IT'S A FOX IT'S A FOX");
    const [latest] = await core.listPredictions({ limit: 1 });
    expect(latest).toMatchObject({ source: 'api', status: 'succeeded', versionId: v.echo.id, input: { text: "it's a fox", times: 3, style: 'shout' } });
  }, 180_000);

  it('the JavaScript snippet sends a picked file as its data: URI, and prints the output file URL', async () => {
    const uri = 'data:text/plain;base64,' + Buffer.from('hello world').toString('base64');
    const file = join(dir, 'file.mjs');
    writeFileSync(file, snippet('javascript', v.file, { image: uri }));
    const url = new URL((await runSnippet(file, process.execPath, [])).trim());
    expect(url.origin).toBe(server.origin);
    expect(await (await fetch(url)).text()).toBe('dlrow olleh');
  }, 180_000);

  it('the curl snippet, run by bash and curl, answers the finished prediction', async () => {
    const file = join(dir, 'echo.sh');
    writeFileSync(file, snippet('curl', v.echo, { text: 'curl $HOME `x`' }));
    const prediction = JSON.parse(await runSnippet(file, 'bash', [])) as { status: string; output: unknown; version: string };
    expect(prediction).toMatchObject({ status: 'succeeded', version: v.echo.id, output: 'hello curl $HOME `x` curl $HOME `x`' });
  }, 180_000);
});
