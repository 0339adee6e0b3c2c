import { useEffect, useState } from 'react';
import type { PredictionStatus, RunOn } from '../../../../shared/domain';
import { useLibrary } from '../../state/library';
import { usePredictions } from '../../state/predictions';

const STATUSES: PredictionStatus[] = ['starting', 'processing', 'succeeded', 'failed', 'canceled'];

/** Filter the history by model, status and where it ran, and search the inputs. */
export function HistoryFilters() {
  const { filters, setFilters } = usePredictions();
  const models = useLibrary((s) => s.models);
  const [query, setQuery] = useState(filters.query);
  useEffect(() => {
    if (query === filters.query) return;
    const t = setTimeout(() => setFilters({ query }), 250);
    return () => clearTimeout(t);
  }, [query, filters.query, setFilters]);
  return (
    <div className="filters" role="search">
      <label htmlFor="filter-model">Model</label>
      <select id="filter-model" value={filters.modelId} onChange={(e) => setFilters({ modelId: e.target.value })}>
        <option value="">All models</option>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id}
          </option>
        ))}
      </select>
      <label htmlFor="filter-status">Status</label>
      <select id="filter-status" value={filters.status} onChange={(e) => setFilters({ status: e.target.value as PredictionStatus | '' })}>
        <option value="">Any status</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <label htmlFor="filter-run-on">Ran</label>
      <select id="filter-run-on" value={filters.runOn} onChange={(e) => setFilters({ runOn: e.target.value as RunOn | '' })}>
        <option value="">Here or on Replicate</option>
        <option value="local">Here</option>
        <option value="replicate">On Replicate</option>
      </select>
      <label htmlFor="filter-query">Search inputs</label>
      <input
        id="filter-query"
        className="grow"
        type="search"
        placeholder="Text in the input, or a prediction id"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
    </div>
  );
}
