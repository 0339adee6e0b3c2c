import { useNavigation, type PageName } from '../state/navigation';

const PAGES: Array<{ page: PageName; label: string; key: string }> = [
  { page: 'explore', label: 'Explore', key: '0' },
  { page: 'playground', label: 'Playground', key: '1' },
  { page: 'predictions', label: 'Predictions', key: '2' },
  { page: 'library', label: 'Library', key: '3' },
  { page: 'hardware', label: 'Hardware', key: '4' },
  { page: 'settings', label: 'Settings', key: '5' },
];

/** Pages without a place in the sidebar, shown as part of another: a model's page under where it was found. */
const PARENT: Partial<Record<PageName, PageName>> = { model: 'explore', 'local-model': 'library' };

export const PAGE_KEYS: Record<string, PageName> = Object.fromEntries(PAGES.map((p) => [p.key, p.page]));

/** The pages, each a button (Alt+0 … Alt+5 from anywhere). */
export function Sidebar() {
  const { route, started, go } = useNavigation();
  return (
    <nav className="sidebar" aria-label="Pages">
      <p className="brand">Cogdesk</p>
      <ul>
        {PAGES.map((p) => (
          <li key={p.page}>
            <button
              type="button"
              aria-current={started && (route.page === p.page || PARENT[route.page] === p.page) ? 'page' : undefined}
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
