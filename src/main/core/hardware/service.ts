/**
 * This machine's hardware for the contract: the overview (GPUs, the matching Replicate SKU, Docker's GPU
 * support) and whether a model, a version or a SKU fits here (a Replicate version read from its image's
 * labels in the registry, one read per version at a time however many cards ask).
 */
import type { CogdeskApi } from '../../../shared/api';
import type { HardwareRequirement } from '../../../shared/hardware';
import type { DockerAccess } from '../docker/access';
import type { LibraryService } from '../library/service';
import type { Catalog } from '../remote';
import type { Store } from '../store';
import { CogdeskError } from '../../../shared/errors';
import type { GpuRoom } from '../runner/gpu-room';
import { detectHardware } from './detect';
import { gpuUsageWithoutModels } from './gpu-live';
import { checkFit, requirementFromCogConfig, requirementFromSku } from './fit';
import { hardwareOverview } from './overview';
import { remoteRequirement, uncheckedFit, type RemoteFitTarget, type RemoteRequirement } from './remote-fit';
import { BUILTIN_SKUS, mergeHardwareList } from './skus';

export type HardwareCalls = Pick<CogdeskApi, 'getHardware' | 'checkFit' | 'getGpuUsage' | 'getModelGpus' | 'setModelGpus'>;

export interface HardwareDeps {
  store: Store;
  catalog: Catalog;
  access: DockerAccess;
  library: Pick<LibraryService, 'resolveVersion'>;
  /** The engine's GPU scheduler: it knows the warm models on each GPU. */
  gpuRoom?: Pick<GpuRoom, 'usage'>;
}

export function createHardwareService(d: HardwareDeps): HardwareCalls {
  const remoteChecks = new Map<string, Promise<RemoteRequirement>>();
  const remoteRequirementOnce = (target: RemoteFitTarget): Promise<RemoteRequirement> => {
    const key = `${target.model}:${target.version ?? ''}`;
    let running = remoteChecks.get(key);
    if (!running) {
      running = remoteRequirement({ store: d.store, catalog: d.catalog }, target).finally(() => remoteChecks.delete(key));
      remoteChecks.set(key, running);
    }
    return running;
  };

  /** Replicate's SKUs: the built-in table, refreshed from GET /v1/hardware (or its cache) when it answers. */
  const skuTable = async () => {
    const listed = await d.catalog.hardware().catch(() => null);
    return listed?.data.length ? mergeHardwareList(listed.data) : BUILTIN_SKUS;
  };

  return {
    async getHardware(o) {
      return hardwareOverview({ docker: await d.access.docker().catch(() => null), probeImage: o?.probeImage, skus: await skuTable() });
    },

    async checkFit(target) {
      let requirement: HardwareRequirement;
      if ('model' in target) {
        const remote = await remoteRequirementOnce(target);
        if (remote.kind === 'unchecked') return uncheckedFit(remote.sentence);
        requirement = remote.requirement;
      } else {
        requirement = 'sku' in target ? requirementFromSku(target.sku, await skuTable()) : requirementFromCogConfig(d.library.resolveVersion(target.version).cogConfig);
      }
      const [report, support] = await Promise.all([
        detectHardware({ systemInfo: false }),
        requirement.gpu ? d.access.gpuSupport().catch(() => null) : Promise.resolve(null),
      ]);
      return checkFit(report, requirement, support);
    },

    async getGpuUsage() {
      // The engine's room knows the warm models; without one, the GPUs alone.
      return (await d.gpuRoom?.usage()) ?? gpuUsageWithoutModels();
    },

    async getModelGpus(modelId) {
      return d.store.gpu.pins(knownModel(d.store, modelId));
    },

    async setModelGpus(modelId, gpuIds) {
      const id = knownModel(d.store, modelId);
      if (!Array.isArray(gpuIds) || gpuIds.some((g) => typeof g !== 'string' || !/^(GPU|MIG)-[0-9a-zA-Z/-]+$/.test(g))) {
        throw new CogdeskError({
          code: 'bad_request',
          message: 'GPUs are named by their uuids (GPU-... or MIG-...)',
          hint: 'See them with `cogdesk hardware` or on the Hardware page; an empty list lets the model use any one GPU.',
        });
      }
      d.store.gpu.setPins(id, gpuIds);
      return d.store.gpu.pins(id);
    },
  };
}

function knownModel(store: Store, modelId: string): string {
  const model = store.library.getModel(modelId);
  if (!model) throw new CogdeskError({ code: 'not_found', message: `No local model "${modelId}"`, hint: 'Pull it first, or pick one from the Library.' });
  return model.id;
}
