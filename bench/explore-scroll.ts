/**
 * Explore with 10,000 models (issue #5): frame times while the list scrolls top to bottom at a steady speed,
 * against a direct baseline measured the same way in the same browser, in one run:
 * - baseline: the same scroll (same speed, same scroller size, same scroll height) over an idle page: a tall
 *   empty div, nothing rendered;
 * - first pass: Explore's list from the top while its pages load (the fake API pages 100 models at a time;
 *   the scroll waits at the end of what is loaded, so some frames are spent waiting for the next page);
 * - second pass: the same list with all models loaded, top to bottom.
 * All in the BUILT renderer (npx electron-vite build first) in headless Chromium over the real core and the
 * fake Replicate API; nothing leaves loopback. Each card's fit badge reads its image's labels from a
 * registry: here a loopback one that answers like a registry far away, `--registry-ms` (200) late, that it
 * has no such image (r8.im answers a manifest and a config blob, with a token round trip, in about as long).
 * Measured in the page: the deltas between requestAnimationFrame callbacks (performance.now), the long
 * tasks (> 50 ms) and long animation frames it saw (with what they ran), the most cards mounted in any
 * frame; the JS heap (after a GC, through CDP) with one page and with every page loaded.
 * Usage: npm run bench:scroll [-- --models 10000 --speed 20000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { memoryTokenStore } from '../src/main/core/remote';
// The fake's server itself (its index.ts imports vitest, for the tests' validation helper).
import { startFakeReplicate } from '../test/fakes/replicate-api/server';
import { growWorld } from '../test/fakes/replicate-api/many-models';
import { startBridge } from '../test/e2e/bridge/server';
import { openApp } from '../test/e2e/helpers/browser';
import { ms, percentile, table } from './stats';

const { values: args } = parseArgs({
  options: { models: { type: 'string', default: '10000' }, speed: { type: 'string', default: '20000' }, 'registry-ms': { type: 'string', default: '200' } },
});
const MODELS = Number(args.models);
/** px per second: 20,000 is a fast fling (about 170 cards a second, 3 rows a frame at 60 Hz). */
const SPEED = Number(args.speed);
const REGISTRY_MS = Number(args['registry-ms']);
const PAGE_SIZE = 100;
const VSYNC = 1000 / 60;
const TOKEN = 'r8_FakeTokenForCogdeskBench0123456789abc';
const LIST = `[role=list][aria-label="Newest models"]`;

interface Pass {
  frames: number[];
  longTasks: number;
  longTaskMs: number;
  longFrames: number;
  longFramesBlockingMs: number;
  peakCards: number;
  durationMs: number;
  distance: number;
  count: number;
  /** The long animation frames: how long, and on what. */
  worst: Array<{ ms: number; what: string }>;
}

/**
 * The measurement, in the page: from scrollTop 0, each frame moves the scroller by SPEED * (time since the
 * last frame), capped at the end of what is there; done at the bottom once data-count reaches `until`.
 */
const MEASURE = `async ({ selector, speed, until }) => {
  const el = document.querySelector(selector);
  const raf = () => new Promise((r) => requestAnimationFrame(r));
  el.scrollTop = 0;
  for (let i = 0; i < 10; i++) await raf();
  const out = { frames: [], longTasks: 0, longTaskMs: 0, longFrames: 0, longFramesBlockingMs: 0, peakCards: 0, durationMs: 0, distance: 0, count: 0, worst: [] };
  const observers = [];
  const observe = (type, fn) => {
    if (!PerformanceObserver.supportedEntryTypes.includes(type)) return;
    const o = new PerformanceObserver((l) => l.getEntries().forEach(fn));
    o.observe({ type });
    observers.push(o);
  };
  observe('longtask', (e) => { out.longTasks++; out.longTaskMs += e.duration; });
  observe('long-animation-frame', (e) => {
    out.longFrames++;
    out.longFramesBlockingMs += e.blockingDuration ?? 0;
    // What the frame spent its time on: the scripts it ran (by who called them), and style and layout.
    const scripts = (e.scripts ?? []).map((x) => \`\${x.invoker || x.invokerType} \${Math.round(x.duration)} ms\`).join(', ');
    const layout = e.styleAndLayoutStart ? Math.round(e.startTime + e.duration - e.styleAndLayoutStart) : 0;
    out.worst.push({ ms: Math.round(e.duration), what: \`\${scripts || 'no script'}; render \${Math.round(e.renderStart ? e.startTime + e.duration - e.renderStart : 0)} ms (style+layout \${layout} ms)\` });
  });
  const count = () => Number(el.getAttribute('data-count') ?? 0);
  return await new Promise((resolve) => {
    let start = null, prev = null, pos = 0;
    const tick = (now) => {
      if (prev !== null) out.frames.push(now - prev);
      if (start === null) start = now;
      const dt = prev === null ? 0 : now - prev;
      prev = now;
      const cards = el.querySelectorAll('[data-remote-model]').length;
      if (cards > out.peakCards) out.peakCards = cards;
      const max = el.scrollHeight - el.clientHeight;
      pos = Math.min(max, pos + (speed * dt) / 1000);
      el.scrollTop = pos;
      if (pos >= max && count() >= until) {
        // One more frame so the last scroll's work is in the last delta.
        requestAnimationFrame((end) => {
          out.frames.push(end - now);
          out.durationMs = end - start;
          out.distance = el.scrollTop;
          out.count = count();
          observers.forEach((o) => o.disconnect());
          resolve(out);
        });
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}`;

function measure(page: Page, selector: string, until: number): Promise<Pass> {
  return page.evaluate(`(${MEASURE})(${JSON.stringify({ selector, speed: SPEED, until })})`) as Promise<Pass>;
}

async function heapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

function row(name: string, p: Pass): string[] {
  const f = p.frames;
  // rAF deltas come in whole vsyncs (16.7 ms, +-0.1 ms of jitter): over 16.7 ms is 2 vsyncs or more (a
  // frame missed), over 33.3 ms is 3 or more.
  const over = (vsyncs: number) => `${((100 * f.filter((d) => Math.round(d / VSYNC) > vsyncs).length) / f.length).toFixed(1)}%`;
  return [
    name,
    String(f.length),
    ms(percentile(f, 50)),
    ms(percentile(f, 95)),
    ms(percentile(f, 99)),
    ms(Math.max(...f)),
    over(1),
    over(2),
    // The time the scroll stood still beyond one vsync a frame: a few long stalls hide in the percentiles.
    `${((100 * f.reduce((t, d) => t + Math.max(0, d - VSYNC - 0.5), 0)) / p.durationMs).toFixed(1)}%`,
    `${p.longTasks} / ${Math.round(p.longTaskMs)} ms`,
    `${p.longFrames} / ${Math.round(p.longFramesBlockingMs)} ms`,
    String(p.peakCards),
    `${(p.durationMs / 1000).toFixed(1)} s`,
  ];
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'cogdesk-bench-scroll-'));
  const fake = await startFakeReplicate({ token: TOKEN, echo: { versionId: 'e'.repeat(64) }, pageSize: PAGE_SIZE });
  growWorld(fake.world, MODELS);
  // No cover leaves loopback (the recorded models' covers point at replicate.delivery).
  for (const m of fake.world.models.values()) m.cover_image_url = null;
  process.env.COGDESK_REPLICATE_API = fake.url;
  // The registry the fit badges ask (never r8.im): REGISTRY_MS late, it has no such image.
  const registry = http.createServer((_req, res) =>
    setTimeout(() => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    }, REGISTRY_MS),
  );
  await new Promise<void>((ok) => registry.listen(0, '127.0.0.1', ok));
  process.env.COGDESK_REGISTRY = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
  const bridge = await startBridge({ home, tokenStore: memoryTokenStore(TOKEN) });
  const browser = await openApp(bridge);
  try {
    const { page, context } = browser;
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Explore', exact: true }).click();
    const list = page.locator(LIST);
    await list.waitFor();
    for (let i = 0; Number(await list.getAttribute('data-count')) < PAGE_SIZE; i++) {
      if (i > 300) throw new Error('the first page never came');
      await page.waitForTimeout(100);
    }
    const size = (await page.evaluate(`(() => { const el = document.querySelector('${LIST}'); return [el.clientWidth, el.clientHeight]; })()`)) as [number, number];
    const heapFirst = await heapMiB(page);

    // Baseline: a scroller of the list's size over an empty div as tall as the full list, in the same browser.
    const height = MODELS * 120;
    const idle = await context.newPage();
    await idle.setContent(
      `<!doctype html><html><body style="margin:0"><div id="s" role="list" aria-label="Newest models" data-count="${MODELS}" style="width:${size[0]}px;height:${size[1]}px;overflow:auto"><div style="height:${height}px"></div></div></body></html>`,
    );
    console.error(`baseline: ${height} px of empty div at ${SPEED} px/s`);
    const baseline = await measure(idle, LIST, 0);
    await idle.close();

    await page.bringToFront();
    console.error(`first pass: the list from the top while its ${MODELS / PAGE_SIZE} pages load`);
    const first = await measure(page, LIST, MODELS);
    const heapAll = await heapMiB(page);
    console.error('second pass: every model loaded, top to bottom');
    const second = await measure(page, LIST, MODELS);
    if (first.count !== MODELS || second.count !== MODELS) throw new Error(`the list holds ${second.count} models, not ${MODELS}`);
    if (Math.abs(second.distance - baseline.distance) > size[1] + 200) {
      throw new Error(`the list scrolled ${second.distance} px, the baseline ${baseline.distance} px: not the same scroll`);
    }

    const head = ['scroll (rAF deltas)', 'frames', 'p50', 'p95', 'p99', 'max', '> 16.7 ms', '> 33.3 ms', 'time lost', 'long tasks', 'long anim. frames (blocking)', 'peak cards', 'took'];
    console.log(`${MODELS} models, fit checks ${REGISTRY_MS} ms, ${SPEED} px/s over ${baseline.distance} px (scroller ${size[0]}x${size[1]})\n`);
    console.log(table([head, row('baseline: empty div', baseline), row('list, pages loading', first), row('list, all loaded', second)]));
    const b95 = percentile(baseline.frames, 95);
    const b50 = percentile(baseline.frames, 50);
    console.log('');
    console.log(
      Math.abs(b50 - VSYNC) < 1
        ? `headless rAF: the idle baseline's frames are ${ms(b50)} apart (60 Hz), so rAF is not throttled here and its deltas show missed frames`
        : `headless rAF: the idle baseline's frames are ${ms(b50)} apart, not 60 Hz: read the long tasks and long animation frames, not the deltas`,
    );
    console.log(`ratio p95 list / baseline: pages loading ${(percentile(first.frames, 95) / b95).toFixed(2)}, all loaded ${(percentile(second.frames, 95) / b95).toFixed(2)}`);
    console.log(`peak mounted cards: ${Math.max(first.peakCards, second.peakCards)} of ${MODELS}`);
    for (const [name, p] of [['pages loading', first], ['all loaded', second]] as const) {
      for (const w of [...p.worst].sort((a, b) => b.ms - a.ms).slice(0, 3)) console.log(`long frame (${name}): ${w.ms} ms: ${w.what}`);
    }
    console.log(`JS heap used (after GC): ${heapFirst.toFixed(1)} MiB with ${PAGE_SIZE} models, ${heapAll.toFixed(1)} MiB with ${MODELS}`);
  } finally {
    await browser.close();
    await bridge.close();
    await fake.close();
    registry.closeAllConnections();
    await new Promise((ok) => registry.close(ok));
    rmSync(home, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
