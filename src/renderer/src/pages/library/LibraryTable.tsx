import { useMemo, useState } from 'react';
import type { EngineStatus } from '../../../../shared/domain';
import { filterRows, sortRows, type LibraryRow, type SortDir, type SortKey } from '../../lib/library';
import { ModelRows } from './ModelRows';
import { countOf } from '../../lib/format';

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'name', label: 'Model' },
  { key: 'versions', label: 'Versions', numeric: true },
  { key: 'size', label: 'Size', numeric: true },
  { key: 'lastUsed', label: 'Last used' },
  { key: 'kept', label: 'Kept weights', numeric: true },
  { key: 'warm', label: 'Now' },
  { key: 'server', label: 'Server' },
];

/** Newest, biggest, most first; names A to Z. */
const FIRST_DIR: Record<SortKey, SortDir> = { name: 'asc', versions: 'desc', size: 'desc', kept: 'desc', lastUsed: 'desc', warm: 'desc', server: 'asc' };

/** Every local model in one compact table: filter by name, sort by any column, a model's versions a click away. */
export function LibraryTable({ rows, status }: { rows: LibraryRow[]; status: EngineStatus | null }) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'lastUsed', dir: 'desc' });
  const shown = useMemo(() => sortRows(filterRows(rows, filter), sort.key, sort.dir), [rows, filter, sort]);
  const by = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: FIRST_DIR[key] }));
  return (
    <section className="panel library-table" aria-label="Models on this machine">
      <div className="section-head">
        <label className="filter">
          <span className="visually-hidden">Filter models</span>
          <input type="search" placeholder="Filter models" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter models" />
        </label>
        <p className="muted small" data-testid="library-count">
          {shown.length === rows.length ? countOf(rows.length, 'model') : `${shown.length} of ${countOf(rows.length, 'model')}`}
        </p>
      </div>
      <div className="table-scroll">
        <table aria-label="Models">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="sort" onClick={() => by(c.key)}>
                    {c.label}
                    <span aria-hidden="true" className="sort-mark">
                      {sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {shown.map((r) => (
            <ModelRows key={r.model.id} row={r} status={status} />
          ))}
        </table>
      </div>
      {shown.length === 0 && <p className="muted">No model matches “{filter}”.</p>}
    </section>
  );
}
