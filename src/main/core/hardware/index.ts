/**
 * Hardware: the local NVIDIA GPUs (nvidia-smi, systeminformation), Replicate's SKUs and which one they
 * match, whether a model fits here, and Docker's GPU support. Plain Node; no database needed.
 */
export { detectHardware, type DetectOptions } from './detect';
export {
  findNvidiaSmi,
  queryNvidiaGpus,
  runNvidiaSmi,
  parseGpuQuery,
  parseComputeCaps,
  parseGpuList,
  GPU_QUERY_ARGS,
  COMPUTE_CAP_ARGS,
  WSL_NVIDIA_SMI,
  type FindOptions,
  type QueryOptions,
  type GpuQueryResult,
} from './nvidia-smi';
export { BUILTIN_SKUS, findSku, mergeHardwareList, normalizeSku, otherSpellings, parseSku, describeSku, type SkuTable } from './skus';
export { matchSku, gpuFamily, groupGpus, memoryFits, MEMORY_TOLERANCE, type GpuFamily, type HostInfo } from './match';
export { checkFit, requirementFromCogConfig, requirementFromSku } from './fit';
export {
  gpuSupportFromInfo,
  dockerGpuSupport,
  checkContainerGpu,
  probeDockerGpu,
  runCheckContainer,
  type EngineInfo,
  type EngineVersion,
  type ProbeOptions,
  type SupportOptions,
} from './docker-gpu';
export {
  classifyGpuStartError,
  gpuDeviceRequests,
  TOOLKIT_INSTALL_URL,
  TOOLKIT_MISSING,
  type GpuErrorContext,
  type GpuSelection,
} from './gpu-request';
export { hardwareOverview, missingParts, type OverviewOptions } from './overview';
