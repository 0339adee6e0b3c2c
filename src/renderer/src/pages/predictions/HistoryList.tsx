import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useCompareSelection } from '../../state/compare';
import { useCosts } from '../../state/costs';
import { useLibrary } from '../../state/library';
import { useNavigation } from '../../state/navigation';
import { usePredictions } from '../../state/predictions';
import { HistoryFilters } from './HistoryFilters';
import { HistoryTable } from './HistoryTable';
import { HistoryTotals } from './HistoryTotals';
import { ImportPrediction } from './ImportPrediction';

/** Every prediction kept here, paged, filtered and searchable. */
export function HistoryList() {
  const { ids, hasMore, loading, loaded, error, loadHistory, loadMore } = usePredictions();
  const { loaded: libraryLoaded, refresh } = useLibrary();
  const { selected, clear } = useCompareSelection();
  const go = useNavigation((s) => s.go);
  const loadCosts = useCosts((s) => s.load);
  useEffect(() => {
    void loadCosts(true);
  }, [loadCosts]);
  useEffect(() => {
    void loadHistory();
    if (!libraryLoaded) void refresh();
  }, [loadHistory, libraryLoaded, refresh]);
  return (
    <>
      <PageHeader title="Predictions" />
      <HistoryFilters />
      <div className="run-bar">
        <button type="button" disabled={selected.length !== 2} onClick={() => (go({ page: 'predictions', compare: [selected[0], selected[1]] }), clear())}>
          Compare
        </button>
        <span className="muted small">{selected.length === 2 ? 'Two predictions selected.' : 'Tick two predictions to compare them side by side.'}</span>
        <ImportPrediction />
      </div>
      <HistoryTotals />
      {error && <ErrorNotice error={error} />}
      {loaded && ids.length === 0 && !loading ? <p className="muted">No predictions match.</p> : <HistoryTable />}
      {loading && <Loading text="Loading predictions…" />}
      {hasMore && !loading && (
        <button type="button" onClick={() => void loadMore()}>
          Load more
        </button>
      )}
    </>
  );
}
