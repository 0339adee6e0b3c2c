/**
 * Managed weights in the data folder (Cog's experimental `weights:`; see docker/weight-manifests.ts): each
 * weight kept once, content-addressed by its manifest digest, `<home>/weights/sha256/<hex>/` holding its files
 * and the ready marker; per version, a record of which weights it mounts where
 * (`<home>/weights/versions/<version id>.json`). Files, no table: the folder is the truth, and a weight
 * deleted by hand is simply fetched again.
 *
 * - A weight is there only once its folder has `.cog/ready` (written last, then renamed into place).
 * - A second version with the same weight fetches nothing: same manifest, same folder.
 * - Forgetting a version removes its record and every weight no other record (or running pull) uses.
 * - Every container of a version gets each weight bind-mounted read-only at its target.
 */
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Version } from '../../../shared/domain';
import { CogdeskError } from '../../../shared/errors';
import type { BindMount } from '../docker/containers';
import { readImageFile } from '../docker/image-file';
import type { RegistryReadOptions } from '../docker/registry-session';
import { readWeightPlan, weightSession, type ManagedWeight, type WeightPlan } from '../docker/weight-manifests';
import { fetchWeight, type FetchOptions } from './weight-fetch';

export interface WeightsRecord {
  versionId: string;
  ref: string;
  registry: string;
  repository: string;
  weights: ManagedWeight[];
  createdAt: string;
}

export interface ManagedWeightsUse {
  versionId: string;
  name: string;
  target: string;
  manifestDigest: string;
  /** On disk (0 when missing). */
  bytes: number;
  present: boolean;
  /** When the version's record was written (its pull). */
  createdAt: string;
}

export class ManagedWeights {
  constructor(readonly root: string) {}

  dirOf(w: Pick<ManagedWeight, 'manifestDigest'>): string {
    return join(this.root, 'sha256', w.manifestDigest.replace(/^sha256:/, ''));
  }

  has(w: Pick<ManagedWeight, 'manifestDigest'>): boolean {
    return existsSync(join(this.dirOf(w), '.cog', 'ready'));
  }

  /** The weights of a plan that are not here yet. */
  missing(plan: Pick<WeightPlan, 'weights'>): ManagedWeight[] {
    return plan.weights.filter((w) => !this.has(w));
  }

  /**
   * Fetches what is missing of a plan. While it runs, a pending record keeps a clean-up from taking the
   * weights it has fetched before their version is recorded.
   */
  async fetch(plan: Pick<WeightPlan, 'ref' | 'registry' | 'repository' | 'weights'>, o: FetchOptions & Pick<RegistryReadOptions, 'dockerConfigPath' | 'auth'> = {}): Promise<void> {
    const todo = this.missing(plan);
    if (todo.length === 0) return;
    await this.sweep();
    const pending = await this.writeRecord(`pending-${process.pid}-${randomBytes(4).toString('hex')}`, plan);
    try {
      const session = weightSession(plan, { signal: o.signal, dockerConfigPath: o.dockerConfigPath, auth: o.auth });
      for (const w of todo) {
        const dir = this.dirOf(w);
        // A folder without its ready marker is a copy someone broke (or deleted from by hand): fetched anew.
        if (existsSync(dir) && !this.has(w)) await rm(dir, { recursive: true, force: true });
        await fetchWeight(session, w, dir, join(this.root, 'tmp'), o);
      }
    } finally {
      await unlink(pending).catch(() => undefined);
    }
  }

  /** Records which weights a version mounts (replacing what it had). */
  async record(versionId: string, plan: Pick<WeightPlan, 'ref' | 'registry' | 'repository' | 'weights'>): Promise<void> {
    await this.writeRecord(versionId, plan);
  }

  async recordOf(versionId: string): Promise<WeightsRecord | null> {
    try {
      return JSON.parse(await readFile(this.recordPath(versionId), 'utf8')) as WeightsRecord;
    } catch {
      return null;
    }
  }

  /**
   * The read-only bind mounts every container of a version gets. A weight that is gone (deleted by hand) is
   * fetched again, and so are the weights of a version pulled before Cogdesk knew managed weights (its image
   * says so: `/.cog/weights.json`, or `weights:` in its cog.yaml); when that fails, a clear error saying to
   * pull again instead of a setup failing on a missing file.
   */
  async mountsFor(version: Pick<Version, 'id' | 'imageRef' | 'cogConfig'>, o: FetchOptions & { docker?: Docker } = {}): Promise<BindMount[]> {
    let record: Pick<WeightsRecord, 'ref' | 'registry' | 'repository' | 'weights'> | null = await this.recordOf(version.id);
    if (!record) {
      const declared = declaredWeights(version.cogConfig);
      const needed = declared.length ? declared : o.docker ? await this.declaredInImage(version, o.docker) : [];
      if (needed.length === 0) return [];
      record = await this.refetch(version, needed, o);
    } else if (this.missing(record).length > 0) {
      try {
        await this.fetch(record, o);
      } catch (e) {
        throw this.cannotFetch(record.ref, e, `The managed weights of ${version.imageRef} are missing from ${join(this.root, 'sha256')} and could not be fetched again`);
      }
    }
    return record.weights.map((w) => ({ source: this.dirOf(w), target: w.target, readOnly: true }));
  }

  /** A version with managed weights but no record: its weights read from the registry it came from, and fetched. */
  private async refetch(version: Pick<Version, 'id' | 'imageRef'>, needed: string[], o: FetchOptions): Promise<WeightPlan> {
    const what = `${version.imageRef} needs its managed weights (${needed.join(', ')}), which Cogdesk has not fetched`;
    try {
      const plan = await readWeightPlan(version.imageRef, { signal: o.signal });
      if (!plan) throw new Error(`${version.imageRef} lists no weights in its registry`);
      await this.fetch(plan, o);
      await this.record(version.id, plan);
      return plan;
    } catch (e) {
      throw this.cannotFetch(version.imageRef, e, `${what}, and they could not be fetched now`);
    }
  }

  private cannotFetch(ref: string, e: unknown, message: string): CogdeskError {
    if (e instanceof CogdeskError && e.code === 'pull_canceled') return e;
    const why = e instanceof Error ? e.message : String(e);
    return new CogdeskError(
      { code: 'setup_failed', message: `${message}: ${why}`, hint: `Pull it again when its registry can be reached: cogdesk pull ${ref}` },
      { cause: e },
    );
  }

  /** What `/.cog/weights.json` in the version's image names (spec 3.3); an image without it is noted, once. */
  private async declaredInImage(version: Pick<Version, 'id' | 'imageRef'>, docker: Docker): Promise<string[]> {
    const none = join(this.root, 'checked', `${version.id.replace(/[^A-Za-z0-9-]/g, '')}.none`);
    if (existsSync(none)) return [];
    const file = await readImageFile(docker, version.imageRef, '/.cog/weights.json').catch(() => undefined);
    if (file === undefined) return []; // the engine could not tell: the start goes on as before
    let names: string[] = [];
    try {
      const list = (JSON.parse(file?.toString('utf8') ?? '{}') as { weights?: unknown }).weights;
      names = declaredWeights({ weights: list });
    } catch {
      names = [];
    }
    if (names.length === 0) {
      await mkdir(join(this.root, 'checked'), { recursive: true });
      await writeFile(none, '').catch(() => undefined);
    }
    return names;
  }

  /** What each version's weights are and take (a weight two versions share is counted for both). */
  async list(versionId?: string): Promise<ManagedWeightsUse[]> {
    const out: ManagedWeightsUse[] = [];
    for (const record of await this.records()) {
      if (record.versionId.startsWith('pending-') || (versionId && record.versionId !== versionId)) continue;
      for (const w of record.weights) {
        const present = this.has(w);
        out.push({ versionId: record.versionId, name: w.name, target: w.target, manifestDigest: w.manifestDigest, present, bytes: present ? await sizeOf(this.dirOf(w)) : 0, createdAt: record.createdAt });
      }
    }
    return out;
  }

  /** Forgets a version's weights: its record, then every weight nothing else uses. Answers the bytes freed. */
  async forgetVersion(versionId: string): Promise<number> {
    await unlink(this.recordPath(versionId)).catch(() => undefined);
    return this.collect();
  }

  /** Removes the weights no record uses. */
  async collect(): Promise<number> {
    await this.sweep();
    const used = new Set<string>();
    for (const r of await this.records()) for (const w of r.weights) used.add(w.manifestDigest.replace(/^sha256:/, ''));
    let freed = 0;
    for (const hex of await readdir(join(this.root, 'sha256')).catch(() => [] as string[])) {
      if (used.has(hex)) continue;
      const dir = join(this.root, 'sha256', hex);
      freed += await sizeOf(dir);
      await rm(dir, { recursive: true, force: true });
    }
    return freed;
  }

  /** Removes what killed processes left: their temporary folders and pending records. */
  private async sweep(): Promise<void> {
    const dead = (name: string) => {
      const pid = Number(/^(?:pending-)?(\d+)-/.exec(name)?.[1] ?? NaN);
      if (!Number.isInteger(pid) || pid === process.pid) return false;
      try {
        process.kill(pid, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH';
      }
    };
    for (const name of await readdir(join(this.root, 'tmp')).catch(() => [] as string[])) {
      if (dead(name)) await rm(join(this.root, 'tmp', name), { recursive: true, force: true });
    }
    for (const name of await readdir(join(this.root, 'versions')).catch(() => [] as string[])) {
      if (name.startsWith('pending-') && dead(name)) await unlink(join(this.root, 'versions', name)).catch(() => undefined);
    }
  }

  private async records(): Promise<WeightsRecord[]> {
    const out: WeightsRecord[] = [];
    for (const name of await readdir(join(this.root, 'versions')).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const r = await this.recordOf(name.slice(0, -'.json'.length));
      if (r && Array.isArray(r.weights)) out.push(r);
    }
    return out;
  }

  private recordPath(versionId: string): string {
    if (!/^[A-Za-z0-9-]+$/.test(versionId)) throw new CogdeskError({ code: 'bad_request', message: `"${versionId}" is not a version id`, hint: 'Use the 64-character id `cogdesk models` shows.' });
    return join(this.root, 'versions', `${versionId}.json`);
  }

  private async writeRecord(versionId: string, plan: Pick<WeightPlan, 'ref' | 'registry' | 'repository' | 'weights'>): Promise<string> {
    const path = this.recordPath(versionId);
    await mkdir(join(this.root, 'versions'), { recursive: true });
    const record: WeightsRecord = { versionId, ref: plan.ref, registry: plan.registry, repository: plan.repository, weights: plan.weights, createdAt: new Date().toISOString() };
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
    await rename(tmp, path);
    return path;
  }
}

/** The weights cog.yaml declares (`weights: [{name, target, ...}]` in the run.cog.config label). */
export function declaredWeights(cogConfig: Record<string, unknown> | null | undefined): string[] {
  const list = cogConfig?.weights;
  if (!Array.isArray(list)) return [];
  return list
    .filter((w): w is { name?: unknown; target?: unknown } => !!w && typeof w === 'object' && typeof (w as { target?: unknown }).target === 'string')
    .map((w) => (typeof w.name === 'string' ? w.name : String(w.target)));
}

async function sizeOf(path: string): Promise<number> {
  let total = 0;
  const st = await lstat(path).catch(() => null);
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  for (const name of await readdir(path).catch(() => [] as string[])) total += await sizeOf(join(path, name));
  return total;
}
