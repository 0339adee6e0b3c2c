import type { Gpu } from '../../../../shared/hardware';

/** Which GPUs models get: all of them (none ticked), or the ticked ones by uuid. */
export function GpuChoice({ gpus, value, onChange }: { gpus: Gpu[] | null; value: string[]; onChange: (ids: string[]) => void }) {
  if (gpus === null) return <p className="muted small">Detecting GPUs…</p>;
  const unknown = value.filter((id) => !gpus.some((g) => g.uuid === id));
  return (
    <fieldset className="gpu-choice">
      <legend>GPUs for models</legend>
      <label className="check">
        <input type="checkbox" checked={value.length === 0} onChange={() => onChange([])} /> All GPUs
        {gpus.length === 0 && <span className="muted"> (none found: models run on the CPU)</span>}
      </label>
      {gpus.map((g) =>
        g.uuid ? (
          <label key={g.uuid} className="check">
            <input
              type="checkbox"
              checked={value.includes(g.uuid)}
              onChange={(e) => onChange(e.target.checked ? [...value, g.uuid!] : value.filter((id) => id !== g.uuid))}
            />{' '}
            GPU {g.index}: {g.name} <span className="mono muted small">{g.uuid}</span>
          </label>
        ) : null,
      )}
      {unknown.map((id) => (
        <label key={id} className="check">
          <input type="checkbox" checked onChange={() => onChange(value.filter((x) => x !== id))} /> <span className="mono">{id}</span>{' '}
          <span className="muted">(not on this machine now)</span>
        </label>
      ))}
    </fieldset>
  );
}
