import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Prediction } from '../../src/shared/domain';
import { createCore, type Core, type CoreOptions } from '../../src/main/core';
import { LABELS } from '../../src/main/core/docker/containers';

/** A fresh data folder in /tmp; removed by the returned cleanup. */
export function tempHome(prefix = 'cogdesk-test-'): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** A core over a fresh home; `close` closes it and removes the home. */
export async function openCore(options: CoreOptions = {}): Promise<Core & { dispose: () => Promise<void> }> {
  const { home, cleanup } = options.home ? { home: options.home, cleanup: () => undefined } : tempHome();
  const core = await createCore({ ...options, home });
  return Object.assign(core, {
    dispose: async () => {
      await core.close();
      cleanup();
    },
  });
}

export const docker = new Docker({ socketPath: '/var/run/docker.sock' });

/** The containers a home's Cogdesk left (running or not). */
export async function managedContainers(homeId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`, `${LABELS.home}=${homeId}`] } });
}

/** Collects every update of one prediction, with when it arrived. */
export function recordUpdates(core: Core): { updates: Array<{ at: number; p: Prediction }>; stop: () => void; of: (id: string) => Array<{ at: number; p: Prediction }> } {
  const updates: Array<{ at: number; p: Prediction }> = [];
  const stop = core.on('prediction', (p) => updates.push({ at: Date.now(), p }));
  return { updates, stop, of: (id) => updates.filter((u) => u.p.id === id) };
}

export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
