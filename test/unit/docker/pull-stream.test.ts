/**
 * The real pullImage over recorded engine streams (./recorded, see progress.test.ts): an error event inside
 * the stream is a failed pull, never a success, even when an image of that name is already here (the
 * engine ends the HTTP answer normally after the error event, and an older image answers the inspect).
 * The engine is a stand-in that hands back the recorded body: only the stream handling is under test here;
 * the same pulls against the real engine are in test/integration/docker/pull-interrupted.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { pullImage } from '../../../src/main/core/docker/pull';
import type { PullProgress } from '../../../src/shared/domain';
import { CogdeskError } from '../../../src/shared/errors';

const REF = '127.0.0.1:5190/exp/multi:latest';
const OLD_IMAGE = { Id: `sha256:${'0'.repeat(64)}`, RepoDigests: [] as string[] };

/** A stand-in engine whose pull answers the recorded body (in small chunks, as the engine sends it). */
function engineAnswering(recording: string): { docker: Docker; created: Array<{ fromImage: string; tag: string }> } {
  const body = readFileSync(join(__dirname, 'recorded', recording), 'utf8');
  const chunks = body.match(/[\s\S]{1,700}/g) ?? [];
  const created: Array<{ fromImage: string; tag: string }> = [];
  const docker = {
    modem: { socketPath: '/var/run/docker.sock' },
    createImage: async (_auth: unknown, o: { fromImage: string; tag: string }) => {
      created.push({ fromImage: o.fromImage, tag: o.tag });
      return Readable.from(chunks);
    },
    // An image of that name is here already (an older pull): a stream error must still fail the pull.
    getImage: () => ({ inspect: async () => OLD_IMAGE }),
  } as unknown as Docker;
  return { docker, created };
}

async function failureOf(p: Promise<unknown>): Promise<CogdeskError> {
  const e = await p.then(
    (v) => {
      throw new Error(`the pull succeeded: ${JSON.stringify(v)}`);
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CogdeskError);
  return e as CogdeskError;
}

describe('pullImage on recorded engine streams', () => {
  it('an error event after retries ("unexpected EOF") fails the pull, saying the connection broke; no "done" progress', async () => {
    const { docker, created } = engineAnswering('resumed-then-failed.jsonl');
    const progress: PullProgress[] = [];
    const e = await failureOf(pullImage(docker, REF, { auth: null, onProgress: (p) => progress.push(p), throttleMs: 0 }));
    expect(created).toEqual([{ fromImage: '127.0.0.1:5190/exp/multi', tag: 'latest' }]);
    expect(e.code).toBe('pull_failed');
    expect(e.message).toBe(`Pulling ${REF} failed: the connection to 127.0.0.1:5190 broke`);
    expect(e.hint).toMatch(/pull again/);
    expect(e.details).toBe('unexpected EOF');
    // Progress was reported while it ran, and never as finished.
    expect(progress.some((p) => p.phase === 'downloading' && p.bytesDone > 0)).toBe(true);
    expect(progress.every((p) => p.phase !== 'done')).toBe(true);
  });

  it('an error event naming a missing layer ("unknown blob") fails the pull, saying a layer is gone', async () => {
    const { docker } = engineAnswering('cut-then-blob-gone.jsonl');
    const e = await failureOf(pullImage(docker, REF, { auth: null }));
    expect(e.code).toBe('pull_failed');
    expect(e.message).toBe(`127.0.0.1:5190 is missing part of ${REF} (a layer it listed is gone)`);
    expect(e.details).toBe('unknown blob');
  });

  it('the same stand-in with a stream that ends well is a success (the failures above come from the error events)', async () => {
    const { docker } = engineAnswering('up-to-date.jsonl');
    const progress: PullProgress[] = [];
    const result = await pullImage(docker, REF, { auth: null, onProgress: (p) => progress.push(p), throttleMs: 0 });
    expect(result).toEqual({
      ref: REF,
      imageId: OLD_IMAGE.Id,
      digest: 'sha256:532a5e920516427f38edcd3caf034404335299ea38ab1ac2a7f7b7e4bae48c08',
    });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', percent: 100 });
  });
});
