/**
 * The built CLI says what is happening and what to do next: the run line after a pull, inputs forgotten
 * without -i, a second logout, the offline search note once, examples counted from 1.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_TOKEN, startFakeWithFixtures } from '../../fakes/replicate-api';
import { OPEN_REGISTRY } from '../../helpers/fixtures';
import { assertBuilt, BIN, fixtureRef, runCli, tempDirs, type CliRun } from './run-cli';

let home: string;
let cleanup: () => void;
beforeAll(() => assertBuilt());
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-cli-say-'));
});
afterEach(() => cleanup());

const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { home, env });
const out = (r: CliRun) => r.stdout.toString();

describe('saying what is happening', { timeout: 120_000 }, () => {
  it('pull ends with the exact run line, the required inputs in it', async () => {
    const r = await cli(['pull', fixtureRef('echo')]);
    expect(r.code, r.stderr).toBe(0);
    expect(out(r)).toMatch(/\n\nRun it:  cogdesk run 127\.0\.0\.1:5100\/fixtures\/echo -i text=VALUE\n$/);
  });

  it('inputs written without -i: exit 2, and the line that works', async () => {
    const r = await cli(['run', fixtureRef('echo'), 'text=hi', 'times=3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`Error: inputs go after -i: cogdesk run ${fixtureRef('echo')} -i text=hi -i times=3\n`);
    const other = await cli(['run', fixtureRef('echo'), 'two']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/run takes one model or image, and got 2/);
  });

  it('logout twice: the second says there was nothing to remove', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, COGDESK_HOME: home };
    delete env.REPLICATE_API_TOKEN;
    const login = spawnSync(process.execPath, [BIN, 'login', '--no-verify'], { env, input: 'r8_SomeTokenForTheLogoutTest0123456789\n', encoding: 'utf8' });
    expect(login.status, login.stderr).toBe(0);
    expect(out(await cli(['logout'], { REPLICATE_API_TOKEN: undefined }))).toBe('Removed the saved token.\n');
    expect(out(await cli(['logout'], { REPLICATE_API_TOKEN: undefined }))).toBe('No token was saved: nothing to remove.\n');
  });

  it('offline search: the note on stderr says it searched the cache; stdout does not say it again', async () => {
    const r = await cli(['search', 'anything'], { COGDESK_REPLICATE_API: 'http://127.0.0.1:9/v1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Searched the \d+ models cached on this machine instead/);
    expect(out(r)).not.toMatch(/Searched the models cached/);
  });

  it("run OWNER/NAME says which example it starts from; a refused REPLICATE_API_TOKEN is named as overriding the saved login", async () => {
    const fake = await startFakeWithFixtures();
    try {
      const env = { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY, REPLICATE_API_TOKEN: FAKE_TOKEN, DOCKER_CONFIG: join(home, 'no-docker-config') };
      const run = await cli(['run', 'fixtures/echo'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/^Starting from the default example \S+ of fixtures\/echo \(cogdesk model fixtures\/echo shows it\); -i values go on top\.$/m);

      const refused = await cli(['account'], { ...env, REPLICATE_API_TOKEN: 'r8_NotTheRightTokenForTheFake0123456789' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('REPLICATE_API_TOKEN is set in this shell and overrides the token saved with cogdesk login');
    } finally {
      await fake.close();
    }
  });

  it('-i text=@notes.txt on a text input reads the file and says so; @name with no such file stays as written', async () => {
    const notes = join(home, 'notes.txt');
    writeFileSync(notes, 'from a file\n');
    const r = await cli(['run', fixtureRef('echo'), '-i', `text=@${notes}`, '-i', 'times=1']);
    expect(r.code, r.stderr).toBe(0);
    expect(out(r)).toBe('hello from a file\n');
    expect(r.stderr).toContain(`Read the text input "text" from ${notes} (11 bytes).`);
    const handle = await cli(['run', fixtureRef('echo'), '-i', 'text=@someone', '-i', 'times=1']);
    expect(out(handle)).toBe('hello @someone\n');
    expect(handle.stderr).not.toContain('Read the text input');
  });

  it('an input that is not key=value: the hint shows the whole line with -i, and no file input for a model without one', async () => {
    const r = await cli(['run', fixtureRef('echo'), '-i', 'text']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error: Cannot read the input "text": write each input as key=value.\nFor example: cogdesk run ${fixtureRef('echo')} -i text=hello. Quote a value with spaces: -i "prompt=a red fox".\n`,
    );
  });

  it('pull of an image without Cog labels that is not here: refused from its registry labels, before anything is downloaded', async () => {
    // An image of this test's own in the test registry, and not in Docker: its tag goes up, then away here.
    const ref = `${OPEN_REGISTRY}/cogdesk-cli-test/no-labels:t${process.pid}`;
    const docker = (...a: string[]) => spawnSync('docker', a, { encoding: 'utf8' });
    expect(docker('tag', fixtureRef('no-labels'), ref).status).toBe(0);
    expect(docker('push', ref).status).toBe(0);
    expect(docker('rmi', '--no-prune', ref).status).toBe(0);
    try {
      const r = await cli(['pull', ref]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Error: ${ref} has no Cog labels (run.cog.openapi_schema): nothing was downloaded`);
      expect(docker('image', 'inspect', ref).status).not.toBe(0);
    } finally {
      docker('rmi', '--no-prune', ref);
    }
  });
});
