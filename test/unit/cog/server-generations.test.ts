import { afterEach, describe, expect, it } from 'vitest';
import { errorText } from '../../../src/main/core/cog/client';
import { serverFromHealth, serverFromLabels, serverOfVersion } from '../../../src/main/core/cog/server-kind';
import { WebhookReceiver, awaitTerminalWebhook, isLateWebhook } from '../../../src/main/core/cog/webhooks';
import type { CogHealth } from '../../../src/main/core/cog/protocol';
import { serverGeneration } from '../../../src/renderer/src/lib/library';

describe('which Cog server an image runs (reference/cog-generations.md)', () => {
  it('reads it from the labels before the image starts', () => {
    const cfg = (build: Record<string, unknown>) => ({ build });
    expect(serverFromLabels({ 'run.cog.version': '0.15.5' }, cfg({ gpu: false }))).toBe('python');
    expect(serverFromLabels({ 'org.cogmodel.cog_version': '0.8.6' }, null)).toBe('python');
    expect(serverFromLabels({ 'run.cog.version': '0.16.8' }, cfg({ cog_runtime: true }))).toBe('go');
    expect(serverFromLabels({ 'run.cog.version': '0.16.8' }, cfg({}), ['R8_COG_VERSION=coglet'])).toBe('go');
    expect(serverFromLabels({ 'run.cog.version': '0.17.0' }, cfg({}))).toBe('coglet');
    expect(serverFromLabels({ 'run.cog.version': 'v0.22.0' }, cfg({ cog_runtime: true }))).toBe('coglet');
    expect(serverFromLabels({ 'run.cog.version': '1.0.0' }, null)).toBe('coglet');
    // A newer CLI that pins an older SDK builds a Python server.
    expect(serverFromLabels({ 'run.cog.version': '0.18.0' }, cfg({ sdk_version: '0.16.9' }))).toBe('python');
    expect(serverFromLabels({ 'run.cog.pip_freeze': 'cog==0.22.0\ncoglet==0.22.0\n' }, null)).toBe('coglet');
    expect(serverFromLabels({}, null)).toBeNull();
  });

  it('agrees with what the Library shows for every version it can tell', () => {
    const versions = [
      { cogVersion: '0.15.5', cogConfig: { build: {} } },
      { cogVersion: '0.16.8', cogConfig: { build: { cog_runtime: true } } },
      { cogVersion: '0.22.0', cogConfig: null },
      { cogVersion: null, cogConfig: null },
    ];
    const names = { python: 'Python', go: 'cog-runtime (Go)', coglet: 'coglet (Rust)' } as const;
    for (const v of versions) {
      const server = serverOfVersion(v);
      expect(server ? names[server] : null).toBe(serverGeneration(v));
    }
  });

  it('confirms it from the health check: version.coglet is coglet, concurrency the Go runtime, neither Python', () => {
    const coglet = { status: 'READY', setup: {}, version: { coglet: '0.22.0', python_sdk: '0.22.0' } } as unknown as CogHealth;
    const go = { status: 'READY', setup: {}, concurrency: { max: 1, current: 0 } } as unknown as CogHealth;
    expect(serverFromHealth(coglet)).toBe('coglet');
    expect(serverFromHealth(go)).toBe('go');
    expect(serverFromHealth({ status: 'STARTING', setup: {} })).toBe('python');
  });
});

describe("each server's error bodies", () => {
  it('reads pydantic detail, coglet error and Go plain text', () => {
    expect(errorText({ body: '{"detail":"Already running a prediction"}' })).toBe('Already running a prediction');
    expect(errorText({ body: '{"error":"At capacity - all prediction slots busy","status":"failed"}' })).toBe('At capacity - all prediction slots busy');
    expect(errorText({ body: 'prediction exists\n' })).toBe('prediction exists');
    expect(errorText({ body: '' })).toBe('');
  });
});

describe('webhooks out of order (coglet sends each on its own)', () => {
  const open: WebhookReceiver[] = [];
  afterEach(async () => Promise.all(open.splice(0).map((r) => r.close())));
  const post = async (port: number, path: string, body: unknown) =>
    (await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).status;

  it('drops a `logs` or `output` event that arrives after the terminal one, and hands the terminal one to whoever waits', async () => {
    expect(isLateWebhook(true, { status: 'processing' })).toBe(true);
    expect(isLateWebhook(true, { status: 'succeeded' })).toBe(false);
    expect(isLateWebhook(false, { status: 'processing' })).toBe(false);
    const r = new WebhookReceiver('secret');
    open.push(r);
    await r.listen(['127.0.0.1']);
    const got: Array<{ status: string; output?: unknown }> = [];
    const path = r.register('late1', (s) => got.push(s));
    const waiter = awaitTerminalWebhook('late1');
    expect(await post(r.port, path, { id: 'late1', status: 'processing', logs: 'a\n', output: ['hello'] })).toBe(200);
    expect(await post(r.port, path, { id: 'late1', status: 'succeeded', logs: 'a\n', output: 'hello', metrics: { predict_time: 0.1 } })).toBe(200);
    expect(await waiter.state).toMatchObject({ status: 'succeeded', output: 'hello' });
    // The stale interim output, sent on its own, arrives last: taken (200, so it is not sent again) and dropped.
    expect(await post(r.port, path, { id: 'late1', status: 'processing', logs: 'a\n', output: ['hello'] })).toBe(200);
    expect(got.map((s) => s.status)).toEqual(['processing', 'succeeded']);
  });
});
