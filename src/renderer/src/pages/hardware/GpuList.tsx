import type { HardwareReport } from '../../../../shared/hardware';
import { Linkified } from '../../components/Linkified';

const mib = (v: number | null) => (v === null ? '—' : `${(v / 1024).toFixed(1)} GiB`);

/** The NVIDIA GPUs nvidia-smi reports (and other adapters Cogdesk cannot use). */
export function GpuList({ hardware }: { hardware: HardwareReport }) {
  return (
    <section className="panel" aria-labelledby="gpus">
      <h2 id="gpus">GPUs</h2>
      {hardware.gpus.length === 0 ? (
        <div className="notice">
          <p className="notice-message">{hardware.reason ?? 'No NVIDIA GPU: models run on the CPU.'}</p>
          {hardware.hint && (
            <p className="notice-hint">
              <Linkified text={hardware.hint} />
            </p>
          )}
        </div>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Name</th>
              <th scope="col">Memory</th>
              <th scope="col">Used</th>
              <th scope="col">Compute</th>
              <th scope="col">Driver</th>
              <th scope="col">UUID</th>
            </tr>
          </thead>
          <tbody>
            {hardware.gpus.map((g) => (
              <tr key={g.uuid ?? g.index}>
                <td>{g.index}</td>
                <td>{g.name}</td>
                <td>{mib(g.memoryTotalMiB)}</td>
                <td>{mib(g.memoryUsedMiB)}</td>
                <td>{g.computeCapability ?? '—'}</td>
                <td>{g.driverVersion ?? '—'}</td>
                <td className="mono small">{g.uuid ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hardware.nvidiaSmi.computeCapNote && <p className="muted small">{hardware.nvidiaSmi.computeCapNote}</p>}
      {hardware.otherGpus.length > 0 && (
        <p className="muted small">
          Other adapters (not usable for models): {hardware.otherGpus.map((o) => `${o.vendor} ${o.model}`).join(', ')}
        </p>
      )}
      <dl className="stats">
        <div>
          <dt>Platform</dt>
          <dd>
            {hardware.platform}
            {hardware.wsl ? ' (WSL 2)' : ''}
          </dd>
        </div>
        <div>
          <dt>CPU</dt>
          <dd>{hardware.cpu ? `${hardware.cpu.brand} · ${hardware.cpu.cores} cores` : '—'}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>{hardware.memoryBytes ? `${(hardware.memoryBytes / 1024 ** 3).toFixed(1)} GiB` : '—'}</dd>
        </div>
        {hardware.driverCuda && (
          <div>
            <dt>CUDA</dt>
            <dd title={hardware.driverCuda.source === 'nvidia-smi' ? "From nvidia-smi's header" : "From NVIDIA's table of minimum drivers"}>
              up to {hardware.driverCuda.version} (driver {hardware.driverCuda.driver ?? 'unknown'})
            </dd>
          </div>
        )}
        <div>
          <dt>nvidia-smi</dt>
          <dd>
            {hardware.nvidiaSmi.status}
            {hardware.nvidiaSmi.path ? ` (${hardware.nvidiaSmi.path})` : ''}
          </dd>
        </div>
      </dl>
    </section>
  );
}
