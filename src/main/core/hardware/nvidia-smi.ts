/**
 * nvidia-smi: finding the binary (PATH, WSL 2, Windows' driver store), running it asynchronously with a
 * hard timeout, and parsing its CSV. Never throws for a missing, failing or hanging nvidia-smi: the result
 * says what happened.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Gpu, NvidiaSmiReport, NvidiaSmiStatus } from '../../../shared/hardware';

export const GPU_QUERY_FIELDS = ['index', 'uuid', 'name', 'memory.total', 'memory.used', 'driver_version', 'pci.bus_id'] as const;
export const GPU_QUERY_ARGS = [`--query-gpu=${GPU_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
/** Asked apart: drivers around 470 reject `compute_cap` and the whole query fails with it. */
export const COMPUTE_CAP_ARGS = ['--query-gpu=uuid,compute_cap', '--format=csv,noheader,nounits'];
export const WSL_NVIDIA_SMI = '/usr/lib/wsl/lib/nvidia-smi';
export const DEFAULT_TIMEOUT_MS = 10_000;

export const DRIVER_DOWNLOAD_URL = 'https://www.nvidia.com/Download/index.aspx';

export interface FindOptions {
  platform?: NodeJS.Platform;
  /** For PATH, PATHEXT, WINDIR/SystemRoot and ProgramFiles; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where WSL 2 puts the Windows driver's nvidia-smi (tests point it elsewhere). */
  wslPath?: string;
}

export interface FoundNvidiaSmi {
  path: string | null;
  /** Where it looked, for "not found" messages. */
  searched: string[];
}

/**
 * Where nvidia-smi is: PATH on Linux, then WSL 2's `/usr/lib/wsl/lib/nvidia-smi`; on Windows
 * `%WINDIR%\System32\nvidia-smi.exe`, else the newest `DriverStore\FileRepository\*\nvidia-smi.exe`, else
 * `C:\Program Files\NVIDIA Corporation\NVSMI\nvidia-smi.exe`, else PATH. macOS has none.
 */
export function findNvidiaSmi(o: FindOptions = {}): FoundNvidiaSmi {
  const platform = o.platform ?? process.platform;
  const env = o.env ?? process.env;
  const searched: string[] = [];
  const pathDirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean);

  if (platform === 'win32') {
    const windir = env.WINDIR ?? env.windir ?? env.SystemRoot ?? 'C:\\Windows';
    const system = join(windir, 'System32', 'nvidia-smi.exe');
    searched.push(system);
    if (isFile(system)) return { path: system, searched };
    const repo = join(windir, 'System32', 'DriverStore', 'FileRepository');
    searched.push(join(repo, '*', 'nvidia-smi.exe'));
    const newest = newestInDriverStore(repo);
    if (newest) return { path: newest, searched };
    const nvsmi = join(env.ProgramFiles ?? 'C:\\Program Files', 'NVIDIA Corporation', 'NVSMI', 'nvidia-smi.exe');
    searched.push(nvsmi);
    if (isFile(nvsmi)) return { path: nvsmi, searched };
    searched.push('PATH');
    for (const dir of pathDirs) {
      const p = join(dir, 'nvidia-smi.exe');
      if (isFile(p)) return { path: p, searched };
    }
    return { path: null, searched };
  }

  if (platform === 'darwin') return { path: null, searched };

  searched.push('PATH');
  for (const dir of pathDirs) {
    const p = join(dir, 'nvidia-smi');
    if (isExecutable(p)) return { path: p, searched };
  }
  const wsl = o.wslPath ?? WSL_NVIDIA_SMI;
  searched.push(wsl);
  if (isExecutable(wsl)) return { path: wsl, searched };
  return { path: null, searched };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isExecutable(p: string): boolean {
  if (!isFile(p)) return false;
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function newestInDriverStore(repo: string): string | null {
  let best: { path: string; time: number } | null = null;
  try {
    for (const d of readdirSync(repo, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const p = join(repo, d.name, 'nvidia-smi.exe');
      try {
        // A newer driver ships a newer nvidia-smi.exe (the driver store keeps the package's file dates).
        const s = statSync(p);
        if (s.isFile() && (!best || s.mtimeMs > best.time)) best = { path: p, time: s.mtimeMs };
      } catch {
        // not in this folder
      }
    }
  } catch {
    return null;
  }
  return best?.path ?? null;
}

// ---- running ----

export type SmiRun =
  | { ok: true; stdout: string }
  | { ok: false; kind: 'not_found' | 'not_executable' | 'timeout' | 'exit' | 'error'; exitCode: number | null; output: string; error: string };

/**
 * Runs nvidia-smi with a hard timeout. On time-out the child is killed with SIGKILL and the promise settles
 * at once, even if the process cannot die (a driver call stuck in the kernel).
 */
export function runNvidiaSmi(path: string, args: readonly string[], timeoutMs: number = DEFAULT_TIMEOUT_MS, env: NodeJS.ProcessEnv = process.env): Promise<SmiRun> {
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (r: SmiRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    let child: ReturnType<typeof execFile>;
    try {
      child = execFile(
        path,
        [...args],
        { encoding: 'utf8', windowsHide: true, maxBuffer: 4 * 1024 * 1024, env: { ...env, LC_ALL: 'C' } },
        (err, stdout, stderr) => {
          const output = `${stdout ?? ''}${stderr ?? ''}`;
          if (!err) return settle({ ok: true, stdout: stdout ?? '' });
          const e = err as NodeJS.ErrnoException & { code?: string | number };
          if (e.code === 'ENOENT') return settle({ ok: false, kind: 'not_found', exitCode: null, output, error: e.message });
          if (e.code === 'EACCES') return settle({ ok: false, kind: 'not_executable', exitCode: null, output, error: e.message });
          if (typeof e.code === 'number') return settle({ ok: false, kind: 'exit', exitCode: e.code, output, error: e.message });
          return settle({ ok: false, kind: 'error', exitCode: null, output, error: e.message });
        },
      );
    } catch (e) {
      settle({ ok: false, kind: 'error', exitCode: null, output: '', error: e instanceof Error ? e.message : String(e) });
      return;
    }
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      // A process stuck in the kernel (or a child holding its pipes) must not keep Node alive.
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
      settle({ ok: false, kind: 'timeout', exitCode: null, output: '', error: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
  });
}

// ---- parsing ----

/** nvidia-smi's markers for values it cannot give. */
const UNAVAILABLE = /^\[(N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU is lost|Requested functionality has been deprecated)\]$|^N\/A$/i;

export function smiValue(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const v = raw.trim();
  if (v === '' || UNAVAILABLE.test(v)) return null;
  return v;
}

function smiNumber(raw: string | undefined): number | null {
  const v = smiValue(raw);
  if (v === null) return null;
  const n = Number(v.replace(/\s*MiB$/i, ''));
  return Number.isFinite(n) ? n : null;
}

export interface ParsedGpuQuery {
  gpus: Gpu[];
  /** Lines that were not a GPU (nvidia-smi's own messages, garbage). */
  unparsed: string[];
}

/** Parses the output of GPU_QUERY_ARGS: one line per GPU, fields separated by `, `, memory in MiB. */
export function parseGpuQuery(stdout: string): ParsedGpuQuery {
  const gpus: Gpu[] = [];
  const unparsed: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const f = line.split(',');
    // A name with a comma in it would split in two: the name is what lies between uuid and the last four.
    const n = GPU_QUERY_FIELDS.length;
    if (f.length < n || !/^\s*\d+\s*$/.test(f[0]!)) {
      unparsed.push(line.trim());
      continue;
    }
    const tail = f.slice(f.length - 4);
    const name = smiValue(f.slice(2, f.length - 4).join(','));
    gpus.push({
      index: Number(f[0]!.trim()),
      uuid: smiValue(f[1]),
      name: name ?? 'Unknown NVIDIA GPU',
      memoryTotalMiB: smiNumber(tail[0]),
      memoryUsedMiB: smiNumber(tail[1]),
      driverVersion: smiValue(tail[2]),
      computeCapability: null,
      pciBusId: smiValue(tail[3]),
    });
  }
  return { gpus, unparsed };
}

/** Parses COMPUTE_CAP_ARGS output (`GPU-..., 9.0`): uuid to compute capability (null for `[N/A]`). */
export function parseComputeCaps(stdout: string): Map<string, string | null> {
  const caps = new Map<string, string | null>();
  for (const line of stdout.split(/\r?\n/)) {
    const f = line.split(',');
    if (f.length !== 2) continue;
    const uuid = smiValue(f[0]);
    const cap = smiValue(f[1]);
    if (uuid && (cap === null || /^\d+\.\d+$/.test(cap))) caps.set(uuid, cap);
  }
  return caps;
}

/** Parses `nvidia-smi -L`: `GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-...)` lines (MIG lines are left out). */
export function parseGpuList(stdout: string): Array<{ index: number; name: string; uuid: string | null; line: string }> {
  const out: Array<{ index: number; name: string; uuid: string | null; line: string }> = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const m = /^GPU (\d+): (.+?)(?: \(UUID: ([^)]+)\))?\s*$/.exec(raw.trim());
    if (m) out.push({ index: Number(m[1]), name: m[2]!, uuid: m[3] ?? null, line: raw.trim() });
  }
  return out;
}

// ---- the whole question ----

export interface QueryOptions {
  /** The binary to run; when absent, COGDESK_NVIDIA_SMI, else findNvidiaSmi(). */
  nvidiaSmi?: string;
  /** Per call; default 10 s. */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  /** PATH (and COGDESK_NVIDIA_SMI, Windows folders) come from here; default process.env. */
  env?: NodeJS.ProcessEnv;
  wslPath?: string;
}

export interface GpuQueryResult {
  gpus: Gpu[];
  report: NvidiaSmiReport;
}

/**
 * Asks nvidia-smi for the GPUs, then (separately, allowed to fail) their compute capability. A missing,
 * failing or hanging nvidia-smi gives no GPUs and a report that says why, never an exception.
 */
export async function queryNvidiaGpus(o: QueryOptions = {}): Promise<GpuQueryResult> {
  const platform = o.platform ?? process.platform;
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fromEnv = env.COGDESK_NVIDIA_SMI?.trim();
  const explicit = o.nvidiaSmi ?? (fromEnv || undefined);

  let path: string | null;
  let searched: string[] = [];
  if (explicit) {
    path = explicit;
  } else {
    if (platform === 'darwin') {
      return noGpus('unsupported_platform', null, 'macOS has no NVIDIA driver: models run on the CPU', 'Docker on macOS cannot use a GPU; run GPU models on a Linux or Windows machine with an NVIDIA GPU.');
    }
    ({ path, searched } = findNvidiaSmi({ platform, env, wslPath: o.wslPath }));
  }
  if (!path) {
    return noGpus('not_found', null, `nvidia-smi was not found (looked in ${searched.join(', ')}): no NVIDIA driver is installed`, driverHint(platform));
  }

  const run = await runNvidiaSmi(path, GPU_QUERY_ARGS, timeoutMs, env);
  if (!run.ok) return failure(run, path, platform, timeoutMs, explicit && !o.nvidiaSmi ? 'COGDESK_NVIDIA_SMI' : null);

  const parsed = parseGpuQuery(run.stdout);
  if (parsed.gpus.length === 0) {
    const text = run.stdout.trim();
    if (!text || /no devices were found/i.test(text)) {
      return noGpus('no_devices', path, 'nvidia-smi found no NVIDIA GPU', 'Check that the GPU is seated and enabled (BIOS, `lspci | grep -i nvidia`), then reboot.', text || null);
    }
    return noGpus('failed', path, 'nvidia-smi printed something Cogdesk does not understand', 'Run `nvidia-smi` in a terminal to see what is wrong.', text);
  }

  let computeCapNote: string | null = null;
  const caps = await runNvidiaSmi(path, COMPUTE_CAP_ARGS, timeoutMs, env);
  if (caps.ok) {
    const map = parseComputeCaps(caps.stdout);
    for (const g of parsed.gpus) g.computeCapability = g.uuid ? (map.get(g.uuid) ?? null) : null;
  } else {
    const said = caps.output.trim().split(/\r?\n/)[0] ?? '';
    computeCapNote =
      caps.kind === 'timeout'
        ? `nvidia-smi did not answer the compute capability query within ${Math.round(timeoutMs / 1000)} s`
        : /not a valid field/i.test(said)
          ? `this driver cannot report compute capability (${said})`
          : `the compute capability query failed${said ? `: ${said}` : ''}`;
  }

  return {
    gpus: parsed.gpus,
    report: { status: 'ok', path, message: null, hint: null, details: null, computeCapNote },
  };
}

function noGpus(status: NvidiaSmiStatus, path: string | null, message: string, hint: string | null, details: string | null = null): GpuQueryResult {
  return { gpus: [], report: { status, path, message, hint, details, computeCapNote: null } };
}

function driverHint(platform: NodeJS.Platform): string {
  if (platform === 'win32') return `Install the NVIDIA driver for Windows (${DRIVER_DOWNLOAD_URL}); Docker Desktop's WSL 2 engine then sees the GPU.`;
  return `Install the NVIDIA driver (your distribution's package, e.g. \`sudo ubuntu-drivers install\`, or ${DRIVER_DOWNLOAD_URL}) and reboot; under WSL 2, install the Windows driver instead.`;
}

function failure(run: Extract<SmiRun, { ok: false }>, path: string, platform: NodeJS.Platform, timeoutMs: number, via: string | null): GpuQueryResult {
  const said = run.output.trim() || null;
  const where = via ? `${path} (from ${via})` : path;
  switch (run.kind) {
    case 'not_found':
      return noGpus('not_found', path, `nvidia-smi was not found at ${where}`, via ? `Point ${via} at nvidia-smi, or unset it.` : driverHint(platform));
    case 'not_executable':
      return noGpus('failed', path, `nvidia-smi at ${where} could not be run (permission denied)`, 'Make it executable, or reinstall the NVIDIA driver.', run.error);
    case 'timeout':
      return noGpus(
        'timeout',
        path,
        `nvidia-smi did not answer within ${formatSeconds(timeoutMs)} and was stopped`,
        'The NVIDIA driver may be stuck: run `nvidia-smi` in a terminal; a reboot usually clears it.',
      );
    case 'exit': {
      const text = said ?? '';
      if (run.exitCode === 9 || /couldn't communicate with the NVIDIA driver/i.test(text)) {
        return noGpus('no_driver', path, 'nvidia-smi could not talk to the NVIDIA driver (it is not loaded)', `${driverHint(platform)} If it is installed, Secure Boot may be keeping it from loading.`, said);
      }
      if (run.exitCode === 6 || /no devices were found/i.test(text)) {
        return noGpus('no_devices', path, 'nvidia-smi found no NVIDIA GPU', 'Check that the GPU is seated and enabled, then reboot.', said);
      }
      if (run.exitCode === 18 || /driver\/library version mismatch/i.test(text)) {
        return noGpus('driver_mismatch', path, 'The NVIDIA driver was updated but the old one is still loaded', 'Reboot to load the new driver.', said);
      }
      return noGpus('failed', path, `nvidia-smi failed (exit code ${run.exitCode})${said ? `: ${said.split(/\r?\n/)[0]}` : ''}`, 'Run `nvidia-smi` in a terminal to see what is wrong.', said);
    }
    default:
      return noGpus('failed', path, `nvidia-smi could not be run: ${run.error}`, 'Run `nvidia-smi` in a terminal to see what is wrong.', said);
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
