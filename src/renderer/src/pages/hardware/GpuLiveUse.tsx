import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { GpuUsage } from '../../../../shared/hardware';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';

/** How often the live use is asked for while the page is open. */
export const LIVE_REFRESH_MS = 2000;

const gib = (v: number | null) => (v === null ? '—' : `${(v / 1024).toFixed(1)} GiB`);

/**
 * Per GPU now: memory used and free, utilization, temperature, and the memory each warm model holds.
 * Asked every LIVE_REFRESH_MS while shown (never two questions at once); stopped when the page closes.
 */
export function GpuLiveUse() {
  const [usage, setUsage] = useState<GpuUsage | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const u = await api.getGpuUsage();
        if (!stopped) {
          setUsage(u);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(errorInfo(e));
      }
      if (!stopped) timer = setTimeout(() => void tick(), LIVE_REFRESH_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <section className="panel" aria-labelledby="gpu-live" data-testid="gpu-live">
      <h2 id="gpu-live">In use now</h2>
      {error && <p className="field-error">Could not read the GPUs' use: {error.message}</p>}
      {!usage && !error && <p className="muted small">Reading nvidia-smi…</p>}
      {usage && usage.gpus.length === 0 && <p className="muted small">{usage.message ?? 'No NVIDIA GPU.'}</p>}
      {usage && usage.gpus.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">GPU</th>
              <th scope="col">Used / total</th>
              <th scope="col">Free</th>
              <th scope="col">Utilization</th>
              <th scope="col">Temperature</th>
              <th scope="col">Warm models (memory held)</th>
            </tr>
          </thead>
          <tbody>
            {usage.gpus.map((g) => (
              <tr key={g.uuid} data-gpu={g.uuid}>
                <td>
                  {g.index} · {g.name}
                </td>
                <td>
                  {gib(g.memoryUsedMiB)} / {gib(g.memoryTotalMiB)}
                </td>
                <td>{gib(g.memoryFreeMiB)}</td>
                <td>{g.utilization === null ? '—' : `${g.utilization}%`}</td>
                <td>{g.temperatureC === null ? '—' : `${g.temperatureC} °C`}</td>
                <td>
                  {g.models.length === 0
                    ? '—'
                    : g.models.map((m) => `${m.modelId ?? m.versionId.slice(0, 12)} (${gib(m.memoryMiB)}${m.busy ? ', running' : ''})`).join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
