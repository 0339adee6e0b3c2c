import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { OfflineBadge } from '../../components/OfflineBadge';
import { PageHeader } from '../../components/PageHeader';
import { useCatalog } from '../../state/catalog';
import { useLibrary } from '../../state/library';
import { CollectionList } from './CollectionList';
import { CollectionView } from './CollectionView';
import { ModelList } from './ModelList';
import { SearchResultsView } from './SearchResultsView';

/** Replicate's public models: newest first (paged), search as you type, collections. */
export function ExplorePage() {
  const c = useCatalog();
  const loadMore = useCatalog((s) => s.loadMore);
  const firstRun = useLibrary((s) => s.loaded && !s.error && s.models.length === 0);

  // Coming back (from a model's page) keeps the pages loaded and the place in the list; a stale list is fetched again.
  useEffect(() => {
    void useCatalog.getState().refreshIfStale();
  }, []);

  const searching = c.query.trim() !== '';
  return (
    <>
      <PageHeader title="Explore">
        <button type="button" disabled={c.loading} onClick={() => void c.refresh()}>
          Refresh
        </button>
      </PageHeader>
      {firstRun && (
        <p className="first-run" data-testid="first-run">
          Nothing is on this machine yet: open a model below and press <strong>Run locally</strong> to pull it and try it in the Playground.
        </p>
      )}
      <OfflineBadge freshness={searching && c.searchFreshness ? c.searchFreshness : c.freshness} />
      <div className="explore-search">
        <label htmlFor="explore-search" className="field-label">
          Search models
        </label>
        <input id="explore-search" type="search" value={c.query} placeholder="e.g. text to image" autoComplete="off" onChange={(e) => c.setQuery(e.target.value)} />
        {c.searching && <Loading text="Searching…" />}
      </div>
      {searching ? (
        <>
          {c.searchError && <ErrorNotice error={c.searchError} title="Search failed" />}
          {c.search && <SearchResultsView results={c.search} />}
        </>
      ) : (
        <>
          <CollectionList collections={c.collections} current={c.collection?.slug ?? null} onOpen={(slug) => void c.openCollection(slug)} />
          {c.collectionsError && <ErrorNotice error={c.collectionsError} title="Collections" />}
          {c.collectionError && <ErrorNotice error={c.collectionError} title="Collection" />}
          {c.collectionLoading && <Loading text="Loading the collection…" />}
          {c.collection ? (
            <CollectionView collection={c.collection} />
          ) : (
            <section aria-labelledby="newest">
              <h2 id="newest">Newest models</h2>
              {c.error && <ErrorNotice error={c.error} />}
              {!c.loaded && c.loading && <Loading text="Loading Replicate's models…" />}
              {c.loaded && c.models.length === 0 && !c.error && <p className="muted">No models.</p>}
              {c.models.length > 0 && <ModelList models={c.models} label="Newest models" onEnd={loadMore} />}
              {c.next && (
                <button type="button" disabled={c.loading} onClick={() => void c.loadMore()}>
                  {c.loading ? 'Loading…' : 'Load more'}
                </button>
              )}
            </section>
          )}
        </>
      )}
    </>
  );
}
