import { create } from 'zustand';
import type { Cached, CollectionSummary, RemoteCollection, RemoteModel, SearchResults } from '../../../shared/catalog';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../api';
import { errorInfo } from '../lib/errors';

/** Where an answer came from: the API, or the cache (offline), with the notice saying why. */
export interface Freshness {
  fromCache: boolean;
  notice: string | null;
}

/** How long Explore's list stays as it is when the user comes back to it (then it is fetched again). */
export const FRESH_MS = 10 * 60 * 1000;

function freshness(c: Cached<unknown>): Freshness {
  return { fromCache: c.fromCache, notice: c.fromCache ? (c.notice ?? 'Replicate could not be reached: showing what was cached.') : null };
}

interface Catalog {
  models: RemoteModel[];
  next: string | null;
  loading: boolean;
  loaded: boolean;
  /** When the first page was last fetched (Date.now()); 0 before. */
  refreshedAt: number;
  error: ErrorInfo | null;
  freshness: Freshness;

  query: string;
  searching: boolean;
  search: SearchResults | null;
  searchFreshness: Freshness | null;
  searchError: ErrorInfo | null;

  collections: CollectionSummary[];
  collectionsError: ErrorInfo | null;
  collection: RemoteCollection | null;
  collectionLoading: boolean;
  collectionError: ErrorInfo | null;

  /** The first page again (and the collections). */
  refresh(): Promise<void>;
  /** refresh(), unless the list was fetched less than FRESH_MS ago: coming back keeps the pages loaded. */
  refreshIfStale(): Promise<void>;
  loadMore(): Promise<void>;
  setQuery(query: string): void;
  openCollection(slug: string | null): Promise<void>;
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let searchSeq = 0;
export const SEARCH_DEBOUNCE_MS = 250;

/** Replicate's catalog as Explore shows it: newest models (paged), search as you type, collections. */
export const useCatalog = create<Catalog>((set, get) => {
  const runSearch = async (query: string) => {
    const mine = ++searchSeq;
    set({ searching: true, searchError: null });
    try {
      const r = await api.searchModels(query, { limit: 50 });
      if (mine === searchSeq) set({ search: r.data, searchFreshness: freshness(r), searching: false });
    } catch (e) {
      if (mine === searchSeq) set({ searchError: errorInfo(e), searching: false, search: null });
    }
  };

  return {
    models: [],
    next: null,
    loading: false,
    loaded: false,
    refreshedAt: 0,
    error: null,
    freshness: { fromCache: false, notice: null },
    query: '',
    searching: false,
    search: null,
    searchFreshness: null,
    searchError: null,
    collections: [],
    collectionsError: null,
    collection: null,
    collectionLoading: false,
    collectionError: null,

    async refresh() {
      set({ loading: true, error: null });
      if (get().query.trim()) void runSearch(get().query.trim());
      try {
        const page = await api.exploreModels(null);
        set({ models: page.data.items, next: page.data.next, freshness: freshness(page), loading: false, loaded: true, refreshedAt: Date.now() });
      } catch (e) {
        set({ error: errorInfo(e), loading: false, loaded: true });
      }
      try {
        const c = await api.listCollections();
        set({ collections: c.data, collectionsError: null });
      } catch (e) {
        set({ collectionsError: errorInfo(e) });
      }
    },

    async refreshIfStale() {
      const { loaded, refreshedAt, error } = get();
      if (loaded && !error && Date.now() - refreshedAt < FRESH_MS) return;
      await get().refresh();
    },

    async loadMore() {
      const { next, loading } = get();
      if (!next || loading) return;
      set({ loading: true, error: null });
      try {
        const page = await api.exploreModels(next);
        const seen = new Set(get().models.map((m) => m.id));
        set({
          models: [...get().models, ...page.data.items.filter((m) => !seen.has(m.id))],
          next: page.data.next,
          freshness: freshness(page),
          loading: false,
        });
      } catch (e) {
        set({ error: errorInfo(e), loading: false });
      }
    },

    setQuery(query) {
      set({ query });
      clearTimeout(searchTimer);
      if (!query.trim()) {
        searchSeq++;
        set({ search: null, searchFreshness: null, searchError: null, searching: false });
        return;
      }
      searchTimer = setTimeout(() => void runSearch(query.trim()), SEARCH_DEBOUNCE_MS);
    },

    async openCollection(slug) {
      if (!slug) {
        set({ collection: null, collectionError: null });
        return;
      }
      set({ collectionLoading: true, collectionError: null });
      try {
        const c = await api.getCollection(slug);
        set({ collection: c.data, collectionLoading: false });
      } catch (e) {
        set({ collectionError: errorInfo(e), collectionLoading: false });
      }
    },
  };
});
