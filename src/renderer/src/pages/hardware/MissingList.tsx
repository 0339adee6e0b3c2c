import type { HardwareOverview } from '../../../../shared/hardware';
import { Linkified } from '../../components/Linkified';

/** What stands between this machine and running models on its GPUs, each with its fix. */
export function MissingList({ missing }: { missing: HardwareOverview['missing'] }) {
  if (missing.length === 0) {
    return (
      <p className="notice notice-ok" role="status">
        Nothing is missing: models built for GPUs run on them here.
      </p>
    );
  }
  return (
    <section className="panel" aria-labelledby="missing">
      <h2 id="missing">What is missing</h2>
      <ul className="missing">
        {missing.map((m) => (
          <li key={m.what}>
            <p>
              <strong>{m.what}</strong>: {m.message}
            </p>
            {m.hint && (
              <p className="notice-hint">
                Fix: <Linkified text={m.hint} />
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
