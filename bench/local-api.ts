/**
 * The local API's overhead: one warm prediction of the echo fixture
 * - straight to the container (a direct HTTP POST to its Cog server): the floor;
 * - through the engine (core.createPrediction + waitForPrediction);
 * - through the local API (POST /v1/predictions with `Prefer: wait`, keep-alive, one raw HTTP request);
 * - through the official `replicate` client's run() against the local API (what user code sees).
 * Interleaved, so all four see the same machine state. Target: the API at most 3 ms over the engine at p50.
 * Needs the test environment (scripts/test-env/setup.sh). Usage: node --import tsx bench/local-api.ts [--n 200]
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Replicate from 'replicate';
import { createCore } from '../src/main/core';
import { startApiServer } from '../src/main/core/api-server';
import { fixtureImage } from '../test/helpers/fixtures';
import { ms, percentile, table } from './stats';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '200' } } });
const N = Number(args.n);
const INPUT = { text: 'bench', times: 1 };

const agent = new http.Agent({ keepAlive: true });
function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'cogdesk-bench-api-'));
  const core = await createCore({ home });
  const server = await startApiServer(core, { port: 0 });
  const replicate = new Replicate({ auth: server.token, baseUrl: server.url });
  const samples: Record<'container' | 'engine' | 'api' | 'client', number[]> = { container: [], engine: [], api: [], client: [] };
  try {
    const version = await core.ensureVersion(fixtureImage('echo'));
    await core.waitForPrediction((await core.createPrediction({ version: version.id, input: INPUT })).id); // warm the container
    const container = (await core.getEngineStatus()).warmContainers[0].url;
    const auth = { authorization: `Bearer ${server.token}`, prefer: 'wait' };
    // A few rounds not counted: JIT, connection pools, SQLite caches.
    for (let i = 0; i < 10; i++) {
      await post(`${container}/predictions`, { input: INPUT });
      await post(`${server.url}/predictions`, { version: version.id, input: INPUT }, auth);
      await replicate.run(`fixtures/echo:${version.id}`, { input: INPUT });
    }
    console.error(`${N} predictions each way, interleaved`);
    for (let i = 0; i < N; i++) {
      let t = performance.now();
      const direct = await post(`${container}/predictions`, { input: INPUT });
      samples.container.push(performance.now() - t);

      t = performance.now();
      const p = await core.createPrediction({ version: version.id, input: INPUT, source: 'api' });
      const done = await core.waitForPrediction(p.id);
      samples.engine.push(performance.now() - t);

      t = performance.now();
      const viaApi = await post(`${server.url}/predictions`, { version: version.id, input: INPUT }, auth);
      samples.api.push(performance.now() - t);

      t = performance.now();
      const output = await replicate.run(`fixtures/echo:${version.id}`, { input: INPUT });
      samples.client.push(performance.now() - t);

      if (direct.status !== 200 || done.status !== 'succeeded' || viaApi.status !== 201 || JSON.parse(viaApi.text).status !== 'succeeded' || (output as unknown) !== 'hello bench') {
        throw new Error(`a prediction did not succeed: ${direct.status} ${done.status} ${viaApi.text.slice(0, 200)} ${String(output)}`);
      }
    }
  } finally {
    await server.close();
    await core.close();
    rmSync(home, { recursive: true, force: true });
  }

  const p50 = (k: keyof typeof samples) => percentile(samples[k], 50);
  const p95 = (k: keyof typeof samples) => percentile(samples[k], 95);
  const over = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${ms(a - b)}`;
  const rows = [['path (n=' + N + ')', 'p50', 'p95', 'over engine p50', 'over engine p95', 'over container p50', 'over container p95']];
  const row = (name: string, k: keyof typeof samples) =>
    rows.push([name, ms(p50(k)), ms(p95(k)), over(p50(k), p50('engine')), over(p95(k), p95('engine')), over(p50(k), p50('container')), over(p95(k), p95('container'))]);
  row('container (direct POST)', 'container');
  row('engine (createPrediction + wait)', 'engine');
  row('local API (POST, Prefer: wait)', 'api');
  row('official client run() on local API', 'client');
  console.log(table(rows));
  const overhead = p50('api') - p50('engine');
  console.log(`\nlocal API over engine at p50: ${ms(overhead)} (target <= 3 ms): ${overhead <= 3 ? 'met' : 'NOT met'}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
