import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useLibrary } from '../../state/library';
import { usePredictions } from '../../state/predictions';
import { HistoryFilters } from './HistoryFilters';
import { HistoryTable } from './HistoryTable';

/** Every prediction kept here, paged, filtered and searchable. */
export function HistoryList() {
  const { ids, hasMore, loading, loaded, error, loadHistory, loadMore } = usePredictions();
  const { loaded: libraryLoaded, refresh } = useLibrary();
  useEffect(() => {
    void loadHistory();
    if (!libraryLoaded) void refresh();
  }, [loadHistory, libraryLoaded, refresh]);
  return (
    <>
      <PageHeader title="Predictions" />
      <HistoryFilters />
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
