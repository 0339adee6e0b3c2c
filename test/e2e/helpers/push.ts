/**
 * What the push end-to-end tests share: the environment a push needs (the fake Replicate API, the htpasswd
 * registry standing in for r8.im, the fake's CLI-token check, an empty Docker config so there is no
 * `cog login`, and no NVIDIA GPU), set and restored; Cog images built here (test/integration/push/helpers),
 * found by the Library as it finds what `cog build` makes.
 */
import type { Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Version } from '../../../src/shared/domain';
import type { Core } from '../../../src/main/core';
import { AUTH_REGISTRY } from '../../helpers/fixtures';
import type { FakeReplicate } from '../../fakes/replicate-api';
import { dockerConfig, startPushFake } from '../../integration/push/helpers';
import { ARTIFACTS } from './browser';
import { setEnv, versionRows } from './page';

export { buildCogImage, freshRepo, removeBuiltImages } from '../../integration/push/helpers';
export { startUploadProxy, type UploadProxy } from '../../integration/push/upload-proxy';

const NO_GPU_SMI = resolve(__dirname, '../../fixtures/nvidia-smi/no-devices/nvidia-smi');

export interface PushEnv {
  fake: FakeReplicate;
  /** Points pushes at another registry host (a proxy in front of the test registry); restore() undoes it. */
  useRegistry(host: string): void;
  restore(): Promise<void>;
}

/**
 * The fake API (account `cogdesk`, whose CLI token is the registry password; versions are made from the
 * manifests pushed to the test registry) and the environment pointing the core at it. Call before the core
 * starts; restore() puts every variable back and stops the fake.
 */
export async function startPushEnv(): Promise<PushEnv> {
  const fake = await startPushFake();
  const config = dockerConfig(); // no `cog login`: the dialog asks for the CLI token
  const restoreEnv = setEnv({
    COGDESK_REPLICATE_API: fake.url,
    COGDESK_REGISTRY: AUTH_REGISTRY,
    COGDESK_REGISTRY_VERIFY_URL: fake.verifyUrl,
    DOCKER_CONFIG: config.dir,
    COGDESK_NVIDIA_SMI: NO_GPU_SMI, // no NVIDIA GPU here: a new model defaults to cpu
  });
  return {
    fake,
    useRegistry: (host) => void (process.env.COGDESK_REGISTRY = host),
    async restore() {
      restoreEnv();
      config.cleanup();
      await fake.close();
    },
  };
}

/**
 * Refreshes the Library (which lists the images with Cog labels Docker has, as `cog build` makes them) until
 * it shows `tag` (an image built with buildCogImage: the echo fixture plus random bytes, from no registry);
 * answers the newest local version of its model, once it has `versions` of them.
 */
export async function shownInLibrary(page: Page, core: Core, tag: string, versions = 1): Promise<Version> {
  for (const deadline = Date.now() + 60_000; ; ) {
    if (Date.now() > deadline) throw new Error(`the Library did not show ${versions} version(s) of ${tag} within 60 s`);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    // The model whose versions' images carry the tag, once the core has listed them (the refresh scans Docker).
    let list: Version[] = [];
    for (const m of await core.listModels()) {
      const vs = await core.listVersions(m.id);
      if (vs.some((v) => v.imageRef.includes(tag))) list = vs;
    }
    if (list.length >= versions) {
      const shown = page.locator(`tbody[data-model-id="${list[0]!.modelId}"]`);
      if (await shown.waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
        await (await versionRows(page, list[0]!.modelId)).nth(versions - 1).waitFor();
        return list[0]!;
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Elements of `selector` whose content runs past their right edge (a table too wide for the window). */
export async function overflowsRight(page: Page, selector: string): Promise<string[]> {
  return (await page.evaluate(`(() => {
    const out = [];
    for (const box of document.querySelectorAll(${JSON.stringify(selector)})) {
      const right = box.getBoundingClientRect().right;
      if (box.scrollWidth > box.clientWidth + 1) out.push(box.getAttribute('data-model-id') + ': scrollWidth ' + box.scrollWidth + ' > ' + box.clientWidth);
      for (const el of box.querySelectorAll('button, td, .mono')) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > right + 1) out.push((el.textContent || el.tagName).trim().slice(0, 40) + ' ends at ' + Math.round(r.right) + ' > ' + Math.round(right));
      }
    }
    return out;
  })()`)) as string[];
}


/**
 * A screenshot of what the eye needs, as test-artifacts/e2e/<name>.png: the window as it shows now (the
 * Library lists every Cog image on this machine, so a full page is long), or one element (a dialog).
 */
export async function screenshotView(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await target.screenshot({ path });
  return path;
}
