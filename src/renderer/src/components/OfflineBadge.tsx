import type { Freshness } from '../state/catalog';

/** Says the catalog answered from the cache (offline, throttled), with why. */
export function OfflineBadge({ freshness }: { freshness: Freshness | null }) {
  if (!freshness?.fromCache) return null;
  return (
    <p className="offline" role="status" data-testid="offline-badge">
      <span className="badge badge-offline">offline — from the cache</span> <span className="muted small">{freshness.notice}</span>
    </p>
  );
}
