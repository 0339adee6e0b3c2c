/**
 * `cogdesk hardware [--json] [--probe IMAGE]`: the GPUs here, the Replicate SKU they match, Docker's GPU
 * support and what is missing. Needs no database: nvidia-smi and Docker are asked directly (the Docker
 * host setting is read when a library already exists).
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type Docker from 'dockerode';
import { toErrorInfo } from '../../shared/errors';
import type { HardwareOverview } from '../../shared/hardware';
import { homePaths, defaultHome } from '../core/paths';
import { print, printJson } from './context';
import { ReportedFailure } from './exit';

export function registerHardwareCommands(program: Command): void {
  program
    .command('hardware')
    .description("this machine's GPUs, the Replicate hardware SKU they match, Docker's GPU support and what is missing")
    .option('--json', 'print JSON')
    .option('--probe <image>', 'prove that containers get a GPU by starting one from this local image (removed after)')
    .action(async (o: { json?: boolean; probe?: string }) => {
      // Docker's client and the hardware checks load here, not at start-up (index.ts).
      const [{ connectDocker }, { hardwareOverview, missingParts }] = await Promise.all([import('../core/docker/connection'), import('../core/hardware')]);
      let docker: Docker | null = null;
      let connectError: unknown = null;
      try {
        docker = connectDocker({ host: (await savedDockerHost()) || undefined });
      } catch (e) {
        connectError = e;
      }
      let overview = await hardwareOverview({ docker, probeImage: o.probe });
      if (connectError) {
        const error = toErrorInfo(connectError);
        const dockerPart = { ...overview.docker, reachable: false, error, missing: error.message, hint: error.hint ?? null };
        overview = { ...overview, docker: dockerPart, missing: missingParts(overview.hardware, dockerPart) };
      }
      // snake_case, field by field (json-hardware.ts); loaded only for --json.
      if (o.json) printJson((await import('./json-hardware')).cliHardware(overview));
      else print(formatHardware(overview));
      const probe = overview.docker.probe;
      // A probe that could not run (the image is not here, Docker stopped) answered nothing: a failure.
      if (o.probe && probe && !probe.ok && !probe.conclusive) {
        // The text report already says why ("Probe failed: ..."); JSON goes to a script, so stderr says it.
        throw new ReportedFailure(o.json ? `Error: the GPU probe could not run: ${probe.error?.message ?? 'no reason given'}${probe.error?.hint ? `\n${probe.error.hint}` : ''}` : '');
      }
    });
}

/** The Docker host setting of an existing library (the same engine the other commands use); '' otherwise. */
async function savedDockerHost(): Promise<string> {
  try {
    const { database } = homePaths(defaultHome());
    if (!existsSync(database)) return '';
    const { openStore } = await import('../core/store');
    const store = openStore(database);
    try {
      return store.settings.get().dockerHost;
    } finally {
      store.close();
    }
  } catch {
    return '';
  }
}

const gb = (mib: number) => (mib < 1024 ? `${mib} MiB` : `${(mib / 1024).toFixed(mib < 10 * 1024 ? 1 : 0)} GB`);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
}

export function formatHardware(v: HardwareOverview): string {
  const h = v.hardware;
  const lines: string[] = [];
  if (h.gpus.length > 0) {
    const drivers = [...new Set(h.gpus.map((g) => g.driverVersion).filter(Boolean))];
    lines.push(`GPUs (${h.nvidiaSmi.path}${drivers.length ? `, driver ${drivers.join(', ')}` : ''}):`);
    const rows = [
      ['#', 'NAME', 'MEMORY', 'USED', 'COMPUTE', 'PCI BUS', 'UUID'],
      ...h.gpus.map((g) => [
        String(g.index),
        g.name,
        g.memoryTotalMiB !== null ? gb(g.memoryTotalMiB) : '-',
        g.memoryUsedMiB !== null ? gb(g.memoryUsedMiB) : '-',
        g.computeCapability ?? '-',
        g.pciBusId ?? '-',
        g.uuid ?? '-',
      ]),
    ];
    lines.push(...table(rows).map((l) => `  ${l}`));
    if (h.nvidiaSmi.computeCapNote) lines.push(`  Compute capability unknown: ${h.nvidiaSmi.computeCapNote}.`);
  } else {
    lines.push(`GPUs: none. ${h.reason ?? 'No NVIDIA GPU was found.'}`);
    lines.push('Models run on the CPU here.');
  }
  for (const o of h.otherGpus) lines.push(`Other adapter: ${o.vendor} ${o.model}${o.vramMiB ? ` (${gb(o.vramMiB)})` : ''} (Cogdesk runs models on NVIDIA GPUs only)`);
  lines.push(`Replicate hardware: ${v.match.sentence}`);
  const host = [
    h.cpu ? `CPU: ${h.cpu.brand}, ${h.cpu.cores} core${h.cpu.cores === 1 ? '' : 's'}` : null,
    h.memoryBytes ? `memory: ${(h.memoryBytes / 1024 ** 3).toFixed(1)} GB` : null,
    h.wsl ? 'WSL 2' : null,
  ].filter(Boolean);
  if (host.length) lines.push(host.join('; '));

  lines.push('');
  const d = v.docker;
  if (d.reachable) {
    lines.push(
      `Docker ${d.serverVersion ?? ''}`.trimEnd() +
        `: runtimes ${d.runtimes.join(', ') || '-'}; CDI ${d.cdi ? `on (${d.cdiSpecDirs.join(', ')})` : 'off'}${d.dockerDesktop ? '; Docker Desktop' : ''}${d.podman ? '; Podman' : ''}`,
    );
    const gpus = {
      yes: 'yes (a probe container saw one)',
      likely: 'likely (the nvidia runtime is configured; `--probe IMAGE` proves it)',
      unknown: 'cannot tell without a probe (`cogdesk hardware --probe IMAGE`)',
      no: `no${d.missing ? ` (${d.missing})` : ''}`,
    }[d.gpus];
    lines.push(`GPUs in containers: ${gpus}`);
    if (d.probe?.check?.devices.length) lines.push(...d.probe.check.devices.map((x) => `  ${x}`));
    if (d.probe && !d.probe.ok && d.probe.error && !d.probe.conclusive) lines.push(`Probe failed: ${d.probe.error.message}`);
  } else {
    lines.push(`Docker: ${d.error ? d.error.message : 'not checked'}`);
  }

  lines.push('');
  const missing = v.missing;
  if (missing.length === 0) {
    lines.push(h.gpus.length > 0 ? 'Nothing missing: models can run on the GPUs here.' : 'Nothing missing for CPU models.');
  } else {
    lines.push('Missing:');
    for (const m of missing) {
      lines.push(`  - ${m.what}: ${m.message}`);
      if (m.hint) lines.push(`    ${m.hint}`);
    }
  }
  return lines.join('\n');
}
