/**
 * The Hardware page's live GPU use (issue 15) in the BUILT renderer in Chromium over the real core: an
 * nvidia-smi stand-in whose state the test changes (memory, utilization, temperature, a warm model's
 * process holding 20 GB), a real warm container of the gpu fixture (started on the CPU: this Docker has no
 * NVIDIA runtime). The page shows each GPU's use and what the model holds, follows changes while open, and
 * stops asking once it is closed. Screenshot: test-artifacts/e2e/gpu-live.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../helpers/core';
import { fixtureImage } from '../helpers/fixtures';
import { gpuStandin, RTX4090, type GpuStandin } from '../helpers/gpu-standin';
import { screenshot } from './helpers/browser';
import { nav } from './helpers/page';
import { openWindow, type TestWindow } from './helpers/window';

const GPU0 = RTX4090();
let smi: GpuStandin;
let win: TestWindow;
let page: Page;
let asked = 0;
/** GpuLiveUse's LIVE_REFRESH_MS (the page asks every 2 s while open). */
const LIVE_REFRESH_MS = 2000;

beforeAll(async () => {
  smi = gpuStandin({ driver: '550.54.15', gpus: [{ ...GPU0, utilization: 3, temperature: 41, baseUsedMiB: 300 }] });
  smi.use();
  win = await openWindow('gpu', {
    beforeOpen: async ({ core }) => {
      await core.updateSettings({ allowCpuFallback: true });
      const original = core.getGpuUsage.bind(core);
      core.getGpuUsage = () => {
        asked++;
        return original();
      };
    },
  });
  page = win.page;
}, 180_000);

afterAll(async () => {
  await win?.close();
  smi?.restore();
});

const row = () => page.locator(`section[data-testid="gpu-live"] tr[data-gpu="${GPU0.uuid}"]`);

describe('Hardware: live GPU use', () => {
  it('shows each GPU now, follows a warm model taking 20 GB and the load, and stops asking when closed', async () => {
    const gpu = await win.bridge.core.ensureVersion(fixtureImage('gpu'));
    const done = await win.bridge.core.waitForPrediction((await win.bridge.core.createPrediction({ version: gpu.id, input: { text: 'warm' } })).id);
    expect(done.status).toBe('succeeded');

    await nav(page, 'Hardware');
    await expect.poll(() => row().textContent(), { timeout: 30_000 }).toContain('41 °C');
    expect(await row().textContent()).toContain('0.3 GiB / 24.0 GiB');

    const warm = (await win.bridge.core.getEngineStatus()).warmContainers[0]!;
    const top = (await docker.getContainer(warm.containerId).top()) as { Titles: string[]; Processes: string[][] };
    const pid = Number(top.Processes[0]![top.Titles.indexOf('PID')]);
    smi.update((s) => ({ ...s, gpus: [{ ...GPU0, utilization: 87, temperature: 71, baseUsedMiB: 300 }], apps: [{ pid, gpu: GPU0.uuid, memoryMiB: 20480 }] }));
    await expect.poll(() => row().textContent(), { timeout: 30_000 }).toContain(`${gpu.modelId} (20.0 GiB)`);
    const text = await row().textContent();
    expect(text).toContain('20.3 GiB / 24.0 GiB');
    expect(text).toContain('87%');
    expect(text).toContain('71 °C');
    await screenshot(page, 'gpu-live');

    await nav(page, 'Settings');
    const after = asked;
    // Three refresh periods with the page closed: not one more question.
    await page.waitForTimeout(3 * LIVE_REFRESH_MS);
    expect(asked).toBe(after);
    expect(win.browser.pageErrors).toEqual([]);
  });

  it("the model's page pins it to GPUs (saved at once), and unpins it", async () => {
    const gpu = await win.bridge.core.ensureVersion(fixtureImage('gpu'));
    await nav(page, 'Library');
    await page.locator(`tbody[data-model-id="${gpu.modelId}"]`).getByRole('button', { name: gpu.modelId, exact: true }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(gpu.modelId);
    const section = page.getByTestId('model-gpus');
    await section.getByRole('checkbox', { name: new RegExp(`GPU 0: ${GPU0.name}`) }).check();
    await expect.poll(() => win.bridge.core.getModelGpus(gpu.modelId)).toEqual([GPU0.uuid]);
    expect(await section.getByRole('checkbox', { name: /Any one GPU/ }).isChecked()).toBe(false);
    await screenshot(page, 'gpu-model-pin');
    await section.getByRole('checkbox', { name: /Any one GPU/ }).check();
    await expect.poll(() => win.bridge.core.getModelGpus(gpu.modelId)).toEqual([]);
  });
});
