/**
 * What runs predictions here, wired once per data folder: the webhook receiver (a stable port and secret, so
 * a restarted Cogdesk still gets a running model's result), the warm pool of containers, the prediction
 * lifecycle, and the recovery of what a previous process left behind.
 */
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { WebhookReceiver } from '../cog/webhooks';
import type { DockerAccess } from '../docker/access';
import type { EventBus } from '../events';
import type { HomePaths } from '../paths';
import type { Store } from '../store';
import { watchContainerEnds, type ContainerWatch } from './container-events';
import { Lifecycle } from './lifecycle';
import { orphanWebhookHandler } from './orphan-webhooks';
import { createGpuRoom, type GpuRoom } from './gpu-room';
import { WarmPool } from './pool';
import { recover, type RecoverReport } from './recover';
import { WeightsKeeper } from './weights';
import { ManagedWeights } from '../library/managed-weights';

export interface RunEngineOptions {
  paths: HomePaths;
  store: Store;
  events: EventBus;
  access: DockerAccess;
  /** How long a canceled prediction may take to stop before its container is stopped (default 10 s). */
  cancelGraceMs?: number;
  /** A setup that wrote less keeps nothing for the next start (default 32 MiB). */
  keepWeightsMinBytes?: number;
  /** How long a container may answer BUSY with none of our predictions on it before it is restarted (default 10 s). */
  busyGraceMs?: number;
}

export interface RunEngine {
  readonly pool: WarmPool;
  readonly lifecycle: Lifecycle;
  /** What setups downloaded, kept for the next cold start. */
  readonly weights: WeightsKeeper;
  /** Which GPU a GPU model's cold start gets, and what each warm model holds there. */
  readonly gpuRoom: GpuRoom;
  /** Docker, with the webhook receiver listening: what a prediction needs before it is sent. */
  ready(): Promise<Docker>;
  /** Settles what a process that is gone left behind ('full' re-attaches and adopts; 'passive' only settles). */
  recover(mode: 'full' | 'passive'): Promise<RecoverReport>;
  close(): Promise<void>;
}

export function createRunEngine(o: RunEngineOptions): RunEngine {
  const { paths, store, events, access } = o;
  let secret = store.engineState.get('webhookSecret');
  if (!secret) store.engineState.set('webhookSecret', (secret = randomBytes(32).toString('hex')));
  const webhooks = new WebhookReceiver(secret);
  let webhookHost = '127.0.0.1';
  let webhooksReady: Promise<void> | null = null;
  const ensureWebhooks = (d: Docker): Promise<void> =>
    (webhooksReady ??= (async () => {
      // Listening on the bridge gateway fails harmlessly where it is not this machine's (Docker Desktop,
      // a remote engine); host.docker.internal then reaches the host's loopback instead.
      const gateway = await bridgeGateway(d);
      const saved = Number(store.engineState.get('webhookPort') ?? 0);
      await webhooks.listen(gateway ? ['127.0.0.1', gateway] : ['127.0.0.1'], saved);
      // The saved port is the one every process of this data folder tries first, so a restarted Cogdesk
      // gets the webhooks of what its predecessor sent. A process that found it taken (another Cogdesk
      // holds it) uses a port of its own and never moves the saved one from under its owner.
      if (!saved) {
        try {
          store.engineState.set('webhookPort', String(webhooks.port));
        } catch {
          // a full disk: the next process saves it
        }
      }
      webhookHost = 'host.docker.internal';
    })());

  let dockerForPool: Docker | null = null;
  const weights = new WeightsKeeper({
    docker: () => access.docker(),
    homeId: paths.homeId,
    enabled: () => store.settings.get().keepWeights,
    minBytes: o.keepWeightsMinBytes,
  });
  const managedWeights = new ManagedWeights(paths.weights);
  // Which GPU a GPU model's cold start gets, and room made there (idle warm models stopped, LRU first).
  const gpuRoom = createGpuRoom({ store, events, pool: () => pool, docker: () => access.docker() });
  const pool = new WarmPool({
    weights,
    get docker() {
      return dockerForPool!;
    },
    idleTimeoutMs: () => store.settings.get().idleTimeoutSeconds * 1000,
    startOptions: async (versionId, _image, needsGpu) => {
      const settings = store.settings.get();
      const version = store.library.getVersion(versionId);
      return {
        // The version's managed weights, read-only at their targets (fetched again if deleted by hand).
        mounts: version ? await managedWeights.mountsFor(version, { docker: await access.docker() }) : undefined,
        homeId: paths.homeId,
        hostNetwork: settings.hostNetwork,
        // Live logs and streamed output within 0.5 s: Cog throttles webhooks to this interval.
        env: { COG_THROTTLE_RESPONSE_INTERVAL: '0.1', COG_LOG_LEVEL: 'warning' },
        extraHosts: settings.hostNetwork ? undefined : ['host.docker.internal:host-gateway'],
        gpus: needsGpu
          ? {
              selection: await gpuRoom.place(versionId, settings.gpuDeviceIds.length ? { uuids: settings.gpuDeviceIds } : 'all'),
              method: (await access.gpuSupport()).method === 'cdi' ? 'cdi' : 'nvidia',
            }
          : undefined,
      };
    },
    allowCpuFallback: () => store.settings.get().allowCpuFallback,
    concurrencySetting: (versionId) => store.modelSettings.concurrencyOfVersion(versionId),
    // "Stopped X to make room on GPU 0", told to the prediction that waited for that room.
    startNote: (versionId) => gpuRoom.takeNote(versionId),
  });
  const lifecycle = new Lifecycle({
    get docker() {
      return dockerForPool!;
    },
    store,
    pool,
    events,
    webhooks,
    webhookBase: () => `http://${store.settings.get().hostNetwork ? '127.0.0.1' : webhookHost}:${webhooks.port}`,
    outputsDir: paths.outputs,
    timeoutMs: () => store.settings.get().predictionTimeoutSeconds * 1000,
    cancelGraceMs: () => o.cancelGraceMs ?? 10_000,
    busyGraceMs: () => o.busyGraceMs ?? 10_000,
  });
  webhooks.onOrphan = orphanWebhookHandler({ store, events, outputsDir: paths.outputs, runsHere: (id) => lifecycle.isRunning(id) });

  // A container that dies or is removed from outside is forgotten as it happens (Docker's events).
  let watch: Promise<ContainerWatch | null> | null = null;
  let closed = false;
  const watchEnds = (d: Docker): void => {
    if (watch || closed) return;
    const started = watchContainerEnds(d, paths.homeId, (id) => pool.forgetContainer(id)).catch(() => null);
    watch = started;
    void started.then(async (w) => {
      await w?.ended;
      if (watch === started) watch = null; // Docker restarted: the next ready() watches again
    });
  };

  const ready = async (): Promise<Docker> => {
    const d = await access.docker();
    dockerForPool = d;
    watchEnds(d);
    await ensureWebhooks(d);
    return d;
  };

  return {
    pool,
    lifecycle,
    weights,
    gpuRoom,
    ready,
    async recover(mode) {
      const d = await ready().catch(() => null);
      return recover({
        docker: d,
        store,
        pool,
        events,
        homeId: paths.homeId,
        mode,
        reattach: (p, c) => void lifecycle.reattach(p, c),
        lateResult: async (id) => {
          // Only the process on the data folder's own webhook port gets a dead process's webhooks.
          if (!d || String(webhooks.port) !== store.engineState.get('webhookPort')) return false;
          const deadline = Date.now() + 5_000;
          while (Date.now() < deadline) {
            if (store.predictions.get(id)?.status !== 'processing') return true;
            await new Promise((r) => setTimeout(r, 100));
          }
          return false;
        },
      });
    },
    async close() {
      closed = true;
      (await watch)?.close();
      await pool.stopAll();
      await webhooks.close();
    },
  };
}

/**
 * Where containers on the default bridge reach this host: the gateway in the network's IPAM config,
 * else the subnet's first address (what Docker gives docker0).
 */
async function bridgeGateway(d: Docker): Promise<string | null> {
  try {
    const net = (await d.getNetwork('bridge').inspect()) as {
      IPAM?: { Config?: Array<{ Gateway?: string; Subnet?: string }> };
    };
    const configured = net.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
    if (configured) return configured;
    const subnet = net.IPAM?.Config?.find((c) => c.Subnet?.includes('.'))?.Subnet;
    if (!subnet) return null;
    const [base] = subnet.split('/');
    const octets = base.split('.').map(Number);
    octets[3] += 1;
    return octets.join('.');
  } catch {
    return null;
  }
}
