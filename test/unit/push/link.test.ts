/**
 * Waiting for Replicate to make the version after a push (GET /models/{o}/{n}/versions through the same
 * RemoteClient as the catalog, against the fake API): found after a few looks, still found when the API
 * drops for a moment, a refused token ends the wait at once, a cancel stops it, and a timeout says what to
 * do. Virtual time: no test waits for real.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RemoteClient } from '../../../src/main/core/remote/client';
import { parseDestination } from '../../../src/main/core/push/destination';
import { waitForVersion } from '../../../src/main/core/push/link';
import { expectAnswersValid, FAKE_TOKEN, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';
import { rejection } from '../../helpers/errors';

let fake: FakeReplicate;
const dest = parseDestination('cogdesk-tester/pushed', '127.0.0.1:5101');
const ID = 'f'.repeat(64);

beforeAll(async () => {
  fake = await startFakeOffline();
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
});
beforeEach(async () => {
  await fake.start();
  fake.world.models.set(dest.id, { owner: 'cogdesk-tester', name: 'pushed', url: 'https://replicate.com/cogdesk-tester/pushed', visibility: 'public', run_count: 0, latest_version: null, default_example: null, description: null, github_url: null, paper_url: null, license_url: null, cover_image_url: null });
  fake.world.versions.set(dest.id, [{ id: 'e'.repeat(64), created_at: '2025-01-01T00:00:00.000000Z', cog_version: '0.15.5', openapi_schema: {} }]);
});

const client = (token = FAKE_TOKEN) => new RemoteClient({ baseUrl: () => fake.url, token: async () => token, sleep: async () => undefined });

/** Virtual time: `sleep` moves the clock instead of waiting. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('waitForVersion', () => {
  it('looks until the version is there, and answers it', async () => {
    const c = clock();
    const polls: number[] = [];
    const version = await waitForVersion(client(), dest, ID, {
      ...c,
      pollMs: 1000,
      onPoll: (n) => {
        polls.push(n);
        if (n === 3) fake.world.versions.get(dest.id)!.unshift({ id: ID, created_at: '2025-01-02T00:00:00.000000Z', cog_version: '0.15.5', openapi_schema: { openapi: '3.0.2' } });
      },
    });
    expect(polls).toEqual([1, 2, 3]);
    expect(version).toEqual({ id: ID, createdAt: '2025-01-02T00:00:00.000000Z', cogVersion: '0.15.5', openapiSchema: { openapi: '3.0.2' } });
  });

  it('the API gone for a moment: keeps looking, and finds it when it is back', async () => {
    const c = clock();
    let stopped = false;
    const version = await waitForVersion(client(), dest, ID, {
      ...c,
      onPoll: async (n) => {
        if (n === 1) {
          await fake.stop();
          stopped = true;
        }
        if (n === 2) {
          fake.world.versions.get(dest.id)!.unshift({ id: ID, created_at: '2025-01-02T00:00:00.000000Z', cog_version: null, openapi_schema: {} });
          await fake.start();
        }
      },
      sleep: async (ms) => {
        await new Promise((r) => setImmediate(r));
        await c.sleep(ms);
      },
    });
    expect(stopped).toBe(true);
    expect(version.id).toBe(ID);
  });

  it('a refused token ends the wait at once with the API\'s error', async () => {
    const e = await rejection(waitForVersion(client('r8_wrong'), dest, ID, { ...clock() }));
    expect(e.code).toBe('registry_unauthorized');
    expect(e.message).toMatch(/refused the API token/);
  });

  it('cancel: stops waiting and says the image is pushed', async () => {
    const controller = new AbortController();
    const e = await rejection(waitForVersion(client(), dest, ID, { ...clock(), signal: controller.signal, onPoll: () => controller.abort() }));
    expect(e.code).toBe('canceled');
    expect(e.hint).toMatch(/push the same version again later/);
  });

  it('never there: times out, saying it may still be processing and how to record the link later', async () => {
    const c = clock();
    const e = await rejection(waitForVersion(client(), dest, ID, { ...c, pollMs: 2000, timeoutMs: 10_000 }));
    expect(e.code).toBe('timeout');
    expect(e.message).toBe(`${dest.image} is pushed, but Replicate has not shown version ${ID.slice(0, 12)} of ${dest.id} after 10 s`);
    expect(e.hint).toMatch(/push the same version again later \(nothing is uploaded twice\)/);
  });
});
