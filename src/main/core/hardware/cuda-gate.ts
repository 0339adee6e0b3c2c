/**
 * The check before a pull: an image built for a newer CUDA than this machine's NVIDIA driver supports would
 * be downloaded (often 10 GB and more) only to fail at start. Its labels are read from the registry (no
 * pull) and compared with the driver's CUDA version; a mismatch refuses the pull with what to do. Whatever
 * cannot be told (no GPU, nvidia-smi failing, the registry not answering) lets the pull go on: the pull
 * then says what is wrong, and the start checks again.
 */
import { CogdeskError } from '../../../shared/errors';
import type { DriverCuda } from '../../../shared/hardware';
import { cogConfigFromLabels } from '../docker/labels';
import { readRemoteImageConfig } from '../docker/registry-config';
import { cudaMismatch, imageCuda, queryDriverCuda } from './cuda';
import { queryNvidiaGpus, type QueryOptions } from './nvidia-smi';

export interface CudaGateOptions extends QueryOptions {
  /** The Docker config with the registry credentials (default `$DOCKER_CONFIG/config.json`). */
  dockerConfigPath?: string;
  /** For the registry's answers (default 10 s). */
  registryTimeoutMs?: number;
  /** What the image's `cog.yaml` says when it is already known (the fit check's cache): no registry read then. */
  knownCogConfig?: Record<string, unknown> | null;
}

/** The driver's CUDA version, or null when there is no NVIDIA GPU or it cannot be told. */
export async function driverCudaHere(o: QueryOptions = {}): Promise<DriverCuda | null> {
  const nvidia = await queryNvidiaGpus(o);
  if (!nvidia.gpus.length || !nvidia.report.path) return null;
  return queryDriverCuda(nvidia.report.path, nvidia.gpus[0]!.driverVersion, o.timeoutMs, o.env ?? process.env);
}

/** The error that refuses a model whose CUDA the driver cannot run. */
export function cudaTooNewError(what: string, mismatch: string, pulled: boolean): CogdeskError {
  return new CogdeskError({
    code: pulled ? 'container_failed' : 'pull_failed',
    message: `${what} ${mismatch}`,
    hint: `${pulled ? 'It was not started.' : 'Nothing was downloaded.'} Install a newer NVIDIA driver (https://www.nvidia.com/Download/index.aspx, or your distribution's package), reboot, and try again.`,
  });
}

/**
 * Refuses (throws a CogdeskError, code pull_failed) when `ref`'s image is built for a CUDA version newer than
 * the driver's; resolves otherwise, also when it cannot tell.
 */
export async function refuseCudaBeforePull(ref: string, o: CudaGateOptions = {}): Promise<void> {
  const driver = await driverCudaHere(o).catch(() => null);
  if (!driver) return;
  let cogConfig = o.knownCogConfig;
  let env: string[] | undefined;
  if (cogConfig === undefined) {
    try {
      const remote = await readRemoteImageConfig(ref, { dockerConfigPath: o.dockerConfigPath, timeoutMs: o.registryTimeoutMs ?? 10_000 });
      cogConfig = cogConfigFromLabels(remote.labels);
      env = (remote as { env?: string[] }).env;
    } catch {
      return; // the pull itself says what is wrong with the reference or the registry
    }
  }
  const build = cogConfig && typeof cogConfig === 'object' ? (cogConfig as { build?: { gpu?: unknown } }).build : undefined;
  if (build?.gpu !== true) return; // a CPU model never asks for the driver's CUDA
  const mismatch = cudaMismatch(imageCuda(cogConfig, env), driver);
  if (mismatch) throw cudaTooNewError(ref, mismatch, false);
}
