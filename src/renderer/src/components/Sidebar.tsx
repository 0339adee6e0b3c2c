import { useNavigation, type PageName } from '../state/navigation';

const PAGES: Array<{ page: PageName; label: string; key: string }> = [
  { page: 'playground', label: 'Playground', key: '1' },
  { page: 'predictions', label: 'Predictions', key: '2' },
  { page: 'library', label: 'Library', key: '3' },
  { page: 'hardware', label: 'Hardware', key: '4' },
  { page: 'settings', label: 'Settings', key: '5' },
];

export const PAGE_KEYS: Record<string, PageName> = Object.fromEntries(PAGES.map((p) => [p.key, p.page]));

/** The pages, each a button (Alt+1 … Alt+5 from anywhere). Explore comes with the catalog. */
export function Sidebar() {
  const { route, go } = useNavigation();
  return (
    <nav className="sidebar" aria-label="Pages">
      <p className="brand">Cogdesk</p>
      <ul>
        <li>
          <button type="button" disabled title="Replicate's catalog comes in a later version">
            Explore <small>soon</small>
          </button>
        </li>
        {PAGES.map((p) => (
          <li key={p.page}>
            <button
              type="button"
              aria-current={route.page === p.page ? 'page' : undefined}
              aria-keyshortcuts={`Alt+${p.key}`}
              onClick={() => go({ page: p.page })}
            >
              {p.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
