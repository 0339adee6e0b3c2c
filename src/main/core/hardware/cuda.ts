/**
 * CUDA against the driver: the highest CUDA version the NVIDIA driver supports (the "CUDA Version" in
 * nvidia-smi's header, else NVIDIA's driver-to-CUDA table), the CUDA version an image was built for (its
 * `run.cog.config` `build.cuda`, else `CUDA_VERSION` in the image's environment, which NVIDIA's CUDA base
 * images set), and the sentence when the two do not go together. Pure, except `queryDriverCuda`.
 */
import type { DriverCuda } from '../../../shared/hardware';
import { runNvidiaSmi, smiValue, DEFAULT_TIMEOUT_MS } from './nvidia-smi';

/**
 * The highest CUDA version of each Linux driver branch: the minimum driver of each CUDA toolkit's GA
 * release (NVIDIA's CUDA Toolkit release notes, table 3), newest first. A driver at or above `minDriver`
 * runs that CUDA version.
 */
export const DRIVER_CUDA_TABLE: ReadonlyArray<{ cuda: string; minDriver: string }> = [
  { cuda: '13.0', minDriver: '580.65.06' },
  { cuda: '12.9', minDriver: '575.51.03' },
  { cuda: '12.8', minDriver: '570.26' },
  { cuda: '12.6', minDriver: '560.28.03' },
  { cuda: '12.5', minDriver: '555.42.02' },
  { cuda: '12.4', minDriver: '550.54.14' },
  { cuda: '12.3', minDriver: '545.23.06' },
  { cuda: '12.2', minDriver: '535.54.03' },
  { cuda: '12.1', minDriver: '530.30.02' },
  { cuda: '12.0', minDriver: '525.60.13' },
  { cuda: '11.8', minDriver: '520.61.05' },
  { cuda: '11.7', minDriver: '515.43.04' },
  { cuda: '11.6', minDriver: '510.39.01' },
  { cuda: '11.5', minDriver: '495.29.05' },
  { cuda: '11.4', minDriver: '470.42.01' },
  { cuda: '11.3', minDriver: '465.19.01' },
  { cuda: '11.2', minDriver: '460.27.03' },
  { cuda: '11.1', minDriver: '455.23' },
  { cuda: '11.0', minDriver: '450.36.06' },
  { cuda: '10.2', minDriver: '440.33' },
  { cuda: '10.1', minDriver: '418.39' },
  { cuda: '10.0', minDriver: '410.48' },
];

/** Compares dotted version numbers (`12.10` > `12.4`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `major.minor` of a CUDA version (`12.4.1` -> `12.4`); null for anything that is not one. */
export function cudaMajorMinor(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const m = /^\s*(\d{1,2})(?:\.(\d{1,2}))?(?:\.\d+)*\s*$/.exec(String(v));
  return m ? `${Number(m[1])}.${Number(m[2] ?? 0)}` : null;
}

/** The "CUDA Version" of nvidia-smi's header (`CUDA Version: 12.2`) or of `nvidia-smi -q` (`CUDA Version : 12.2`). */
export function parseCudaFromSmi(text: string): string | null {
  const m = /CUDA Version\s*:\s*([^\s|]+)/i.exec(text);
  return m ? cudaMajorMinor(smiValue(m[1]) ?? '') : null;
}

/** The highest CUDA version a (Linux) driver version runs, from DRIVER_CUDA_TABLE; null when older than all of it or not a version. */
export function cudaForDriver(driver: string | null | undefined): string | null {
  if (!driver || !/^\d+(\.\d+)*$/.test(driver.trim())) return null;
  return DRIVER_CUDA_TABLE.find((row) => compareVersions(driver.trim(), row.minDriver) >= 0)?.cuda ?? null;
}

/**
 * The CUDA version an image was built for: `build.cuda` of its `cog.yaml` (the `run.cog.config` label),
 * else `CUDA_VERSION` of its environment (`12.4.1` in NVIDIA's base images). Null when neither says.
 */
export function imageCuda(cogConfig: Record<string, unknown> | null | undefined, env?: readonly string[] | null): string | null {
  const build = cogConfig && typeof cogConfig === 'object' ? (cogConfig as { build?: unknown }).build : null;
  const fromConfig = build && typeof build === 'object' ? cudaMajorMinor((build as { cuda?: unknown }).cuda) : null;
  if (fromConfig) return fromConfig;
  const entry = env?.find((e) => e.startsWith('CUDA_VERSION='));
  return entry ? cudaMajorMinor(entry.slice('CUDA_VERSION='.length)) : null;
}

/** Asks nvidia-smi (its table's header) for the driver's CUDA version; the driver table when the header has none. */
export async function queryDriverCuda(path: string, driverVersion: string | null, timeoutMs = DEFAULT_TIMEOUT_MS, env: NodeJS.ProcessEnv = process.env): Promise<DriverCuda | null> {
  const run = await runNvidiaSmi(path, [], timeoutMs, env);
  const fromHeader = run.ok ? parseCudaFromSmi(run.stdout) : null;
  if (fromHeader) return { version: fromHeader, driver: driverVersion, source: 'nvidia-smi' };
  const fromTable = cudaForDriver(driverVersion);
  return fromTable ? { version: fromTable, driver: driverVersion, source: 'driver-table' } : null;
}

/** "needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver", or null when it fits (or cannot be told). */
export function cudaMismatch(needs: string | null | undefined, driver: DriverCuda | null | undefined): string | null {
  if (!needs || !driver) return null;
  if (compareVersions(needs, driver.version) <= 0) return null;
  return `needs CUDA ${needs}; your driver (${driver.driver ?? 'version unknown'}) supports up to ${driver.version}: update the driver`;
}

/** The mismatch as a sentence of its own: "Needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver." */
export function cudaMismatchSentence(needs: string | null | undefined, driver: DriverCuda | null | undefined): string | null {
  const m = cudaMismatch(needs, driver);
  return m ? `${m.charAt(0).toUpperCase()}${m.slice(1)}.` : null;
}
