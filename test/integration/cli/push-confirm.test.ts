/**
 * `cogdesk push` asks before it creates or pushes anything (after showing its plan), unless --yes: a "no"
 * leaves the account and the registry as they were. Run in-process on registerPushCommands with the push
 * tests' stage (test/integration/push/helpers.ts: the fake Replicate API, the htpasswd registry).
 */
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerPushCommands } from '../../../src/main/cli/push';
import { AUTH_PASSWORD } from '../../helpers/fixtures';
import type { FakeReplicate } from '../../fakes/replicate-api';
import { buildCogImage, cliPushStage, freshRepo, registryDigest, removeBuiltImages, startPushFake } from '../push/helpers';


let fake: FakeReplicate;
let restore: () => void;

beforeAll(async () => {
  fake = await startPushFake();
});
afterAll(async () => {
  await fake.close();
  await removeBuiltImages();
});
beforeEach(() => {
  ({ restore } = cliPushStage(fake, 'cogdesk-push-confirm-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  restore();
});

async function push(args: string[], answer: boolean): Promise<{ asked: string[]; err: string; error: unknown }> {
  const asked: string[] = [];
  const program = new Command().name('cogdesk').exitOverride();
  registerPushCommands(program, {
    readToken: async () => AUTH_PASSWORD,
    confirm: async (q) => (asked.push(q), answer),
  });
  let err = '';
  const text = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += text(chunk)), true));
  let error: unknown = null;
  try {
    await program.parseAsync(['push', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  } finally {
    vi.restoreAllMocks();
  }
  return { asked, err, error };
}

describe('cogdesk push asks first', { timeout: 120_000 }, () => {
  it('"no" after the plan: nothing is created or pushed; --yes pushes without asking', async () => {
    const image = await buildCogImage();
    const repo = freshRepo('confirm');

    const no = await push([image, repo], false);
    expect(no.asked).toEqual(['Create the model and push as shown? [y/N] ']);
    expect(no.err).toContain(`Model:        ${repo} does not exist: it will be created`);
    expect(no.error).toMatchObject({ code: 'canceled', message: 'Nothing was created or pushed', hint: 'Push again and answer y, or add --yes.' });
    expect(fake.pushes.created.filter((m) => `${m.owner}/${m.name}` === repo)).toEqual([]);
    expect(await registryDigest(repo)).toBeNull();

    const yes = await push([image, repo, '--yes'], false);
    expect(yes.error, yes.err).toBeNull();
    expect(yes.asked).toEqual([]);
    expect(fake.pushes.created.filter((m) => `${m.owner}/${m.name}` === repo)).toHaveLength(1);
    expect(await registryDigest(repo)).not.toBeNull();
  });
});
