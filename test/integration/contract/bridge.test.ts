import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, bridgeFromApi, clientFromBridge, type CogdeskClient } from '../../../src/shared/api';
import { CogdeskError } from '../../../src/shared/errors';
import type { Prediction } from '../../../src/shared/domain';
import { fixtureImage } from '../../helpers/fixtures';
import { openCore } from '../../helpers/core';

describe('the contract across a bridge (what the preload and IPC carry), over the real core', () => {
  let core: Awaited<ReturnType<typeof openCore>>;
  let client: CogdeskClient;
  beforeAll(async () => {
    core = await openCore();
    // Through structuredClone, as Electron's IPC copies values: nothing may rely on sharing objects.
    const bridge = bridgeFromApi(core, core.on);
    const cloned = Object.fromEntries(
      API_METHODS.map((m) => [m, async (...args: unknown[]) => structuredClone(await (bridge[m] as (...a: unknown[]) => Promise<unknown>)(...structuredClone(args)))]),
    );
    client = clientFromBridge({ ...cloned, on: bridge.on } as never);
  }, 120_000);
  afterAll(async () => core?.dispose());

  it('answers every call of the contract and nothing else', () => {
    expect(Object.keys(client).sort()).toEqual([...API_METHODS, 'on'].sort());
  });

  it('keeps an error\'s code, hint and field errors across the bridge', async () => {
    const version = await core.ensureVersion(fixtureImage('echo'));
    const error = await client.createPrediction({ version: version.id, input: { text: 'x', times: 99 } }).catch((e) => e);
    expect(error).toBeInstanceOf(CogdeskError);
    expect(error.code).toBe('input_invalid');
    expect(error.hint).toBeTruthy();
    expect(error.fields).toEqual([expect.objectContaining({ field: 'times', code: 'range' })]);
  });

  it('runs a prediction through the bridge, with its updates as events', async () => {
    const version = await core.ensureVersion(fixtureImage('echo'));
    const seen: Prediction[] = [];
    const off = client.on('prediction', (p) => seen.push(p));
    const created = await client.createPrediction({ version: version.id, input: { text: 'bridge' } });
    const done = await core.waitForPrediction(created.id);
    off();
    expect(done.output).toBe('hello bridge bridge');
    expect(await client.getPrediction(created.id)).toEqual(done);
    expect(seen.filter((p) => p.id === created.id).at(-1)?.status).toBe('succeeded');
    expect((await client.listPredictions({ limit: 1 }))[0].id).toBe(created.id);
  });
});
