/**
 * The core's services, each constructed on its own with only what it needs, over a real SQLite file: the
 * library (how a name or id resolves to a version), settings (checked, a new Docker host connects afresh),
 * and hardware (a SKU's fit). Docker is a real client pointed at an engine that is not there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Model, Version } from '../../../src/shared/domain';
import { CogdeskError } from '../../../src/shared/errors';
import { DockerAccess } from '../../../src/main/core/docker/access';
import { EventBus } from '../../../src/main/core/events';
import { createHardwareService } from '../../../src/main/core/hardware/service';
import { createLibraryService } from '../../../src/main/core/library/service';
import { homePaths } from '../../../src/main/core/paths';
import { createCatalog } from '../../../src/main/core/remote';
import { WarmPool } from '../../../src/main/core/runner/pool';
import { WeightsKeeper } from '../../../src/main/core/runner/weights';
import { createSettingsService } from '../../../src/main/core/settings/service';
import { Tasks } from '../../../src/main/core/tasks';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();
const hex = (c: string) => c.repeat(64);
const ECHO = '127.0.0.1:5100/fixtures/echo';

function register(id: string, modelId: string, imageRef = `${modelId}:latest`, createdAt?: string): Version {
  const model: Pick<Model, 'id' | 'owner' | 'name' | 'repository'> = { id: modelId, owner: 'fixtures', name: 'echo', repository: modelId };
  return t.store.library.register(model, {
    id,
    modelId,
    imageRef,
    imageId: `sha256:${hex('9')}`,
    cogVersion: '0.15.5',
    openapiSchema: { openapi: '3.0.2', components: { schemas: { Input: { properties: { text: { type: 'string' } } } } } },
    cogConfig: { build: { gpu: false } },
    legacyLabels: false,
    sizeBytes: 1,
    createdAt,
  });
}

const homes: string[] = [];
afterEach(() => homes.splice(0).forEach((h) => rmSync(h, { recursive: true, force: true })));
function deps() {
  const home = mkdtempSync(join(tmpdir(), 'cogdesk-svc-'));
  homes.push(home);
  // An engine that is not there: the services must say so, never hang or guess.
  t.store.settings.update({ dockerHost: 'unix:///nonexistent/docker.sock' });
  const access = new DockerAccess(() => t.store.settings.get());
  const pool = new WarmPool({ docker: undefined as never, idleTimeoutMs: () => 1000, startOptions: async () => ({ homeId: 'x', hostNetwork: false }), allowCpuFallback: () => false });
  const weights = new WeightsKeeper({ docker: () => access.docker(), homeId: 'x', enabled: () => true });
  return { store: t.store, paths: homePaths(home), access, events: new EventBus(), tasks: new Tasks(), pool, weights };
}

describe('the library service', () => {
  it('resolves a version by id (with or without sha256:), then image reference, then model name (its latest)', () => {
    const library = createLibraryService(deps());
    const older = register(hex('a'), ECHO, `${ECHO}:latest`, '2026-01-01T00:00:00.000Z');
    const newer = register(hex('b'), ECHO, `${ECHO}@sha256:${hex('b')}`, '2026-02-01T00:00:00.000Z');
    expect(library.resolveVersion(hex('a'))).toEqual(older);
    expect(library.resolveVersion(`sha256:${hex('a')}`)).toEqual(older);
    expect(library.resolveVersion(`${ECHO}:latest`).id).toBe(older.id);
    // A bare name that is no image here is the model: its latest version.
    expect(library.resolveVersion('fixtures/echo').id).toBe(newer.id);
    expect(library.schemaOf(newer).inputs.map((f) => f.name)).toEqual(['text']);
  });

  it('says what to do for a name it does not have', () => {
    const library = createLibraryService(deps());
    let error: unknown;
    try {
      library.resolveVersion('acme/nothing');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CogdeskError);
    expect(error).toMatchObject({ code: 'not_found', message: 'No local model or version "acme/nothing"', hint: 'Pull it first: cogdesk pull acme/nothing' });
  });
});

describe('the settings service', () => {
  it('checks a change before saving it, and connects afresh when the Docker host changes', async () => {
    const d = deps();
    const settings = createSettingsService(d);
    await expect(settings.updateSettings({ idleTimeoutSeconds: 0 })).rejects.toMatchObject({ message: expect.stringContaining('Settings not saved'), fields: [expect.objectContaining({ field: 'idleTimeoutSeconds' })] });
    expect((await settings.getSettings()).idleTimeoutSeconds).not.toBe(0);
    const status = await settings.getEngineStatus();
    expect(status.docker.ok).toBe(false);
    expect(status.warmContainers).toEqual([]);
    expect(status.dataDir).toBe(d.paths.home);
    let changed = 0;
    d.access.hostChanged = () => void changed++;
    await settings.updateSettings({ dockerHost: 'unix:///nonexistent/other.sock' });
    expect(changed).toBe(1);
    await settings.updateSettings({ idleTimeoutSeconds: 60 });
    expect(changed).toBe(1);
  });

  it('opens the data folder with the opener it was given, and answers the path without one', async () => {
    const d = deps();
    expect(await createSettingsService(d).showDataFolder()).toEqual({ path: d.paths.home, shown: false });
    const opened: string[] = [];
    const settings = createSettingsService({ ...d, showFolder: async (p) => void opened.push(p) });
    expect(await settings.showDataFolder()).toEqual({ path: d.paths.home, shown: true });
    expect(opened).toEqual([d.paths.home]);
  });
});

describe('the hardware service', () => {
  it("answers a local version's fit from its cog.yaml, without Docker", async () => {
    const d = deps();
    const catalog = createCatalog({ store: d.store, home: d.paths.home, tokenStore: { get: async () => null, set: async () => undefined, clear: async () => undefined, source: () => null } as never });
    const library = createLibraryService(d);
    const hardware = createHardwareService({ store: d.store, catalog, access: d.access, library });
    const v = register(hex('c'), ECHO);
    const fit = await hardware.checkFit({ version: v.id });
    expect(fit.kind).toBe('cpu');
  }, 30_000);
});
