import type { SearchResults } from '../../../../shared/catalog';
import { useCatalog } from '../../state/catalog';
import { ModelList } from './ModelList';
import { countOf } from '../../lib/format';

/** What a search found: models, and collections (opened in Explore). */
export function SearchResultsView({ results }: { results: SearchResults }) {
  const openCollection = useCatalog((s) => s.openCollection);
  const setQuery = useCatalog((s) => s.setQuery);
  return (
    <section aria-labelledby="search-results" data-testid="search-results">
      <h2 id="search-results">
        Results for “{results.query}” <span className="muted small">({countOf(results.models.length, 'model')}{results.source === 'local' ? ', from the cache' : ''})</span>
      </h2>
      {results.collections.length > 0 && (
        <ul className="chips" aria-label="Collections found">
          {results.collections.map((c) => (
            <li key={c.slug}>
              <button type="button" className="chip" onClick={() => {
                  setQuery('');
                  void openCollection(c.slug);
                }}>
                {c.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {results.models.length === 0 ? <p className="muted">No models match.</p> : <ModelList models={results.models.map((h) => h.model)} label="Models found" />}
    </section>
  );
}
