import type { CollectionSummary } from '../../../../shared/catalog';

/** Replicate's collections, each opening in Explore. */
export function CollectionList({ collections, current, onOpen }: { collections: CollectionSummary[]; current: string | null; onOpen: (slug: string | null) => void }) {
  if (collections.length === 0) return null;
  return (
    <nav aria-label="Collections">
      <ul className="chips">
        <li>
          <button type="button" className="chip" aria-pressed={current === null} onClick={() => onOpen(null)}>
            Newest
          </button>
        </li>
        {collections.map((c) => (
          <li key={c.slug}>
            <button type="button" className="chip" aria-pressed={current === c.slug} title={c.description} onClick={() => onOpen(c.slug)}>
              {c.name}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
