import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { RemoteModel } from '../../../../shared/catalog';
import { RemoteModelCard } from './RemoteModelCard';

const ROW_HEIGHT = 120;

/** Where each list was scrolled to when it went away (by label and first model), to come back to the same place. */
const placeKept = new Map<string, number>();

/**
 * One row: memoized, so a scroll (which re-renders the list) or a new page appended to `models` renders only
 * the rows that came into view, never the ones already mounted (a row's model object never changes).
 */
const Row = memo(function Row({ model, start, size }: { model: RemoteModel; start: number; size: number }) {
  return (
    <div role="listitem" className="model-list-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: size, transform: `translateY(${start}px)` }}>
      <RemoteModelCard model={model} />
    </div>
  );
});

/**
 * Models in a virtualized list: only the rows in view (and a few around them) are in the page, so thousands
 * stay smooth. The list itself takes the focus (Tab), so PageDown, End and the arrows scroll it even while
 * the cards under the focus come and go; `onEnd` (the next page) is called when the last rows come into view.
 */
export function ModelList({ models, label, onEnd }: { models: RemoteModel[]; label: string; onEnd?: () => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const place = `${label}\n${models[0]?.id ?? ''}`;
  const virtualizer = useVirtualizer({
    count: models.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    initialOffset: () => placeKept.get(place) ?? 0,
  });

  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (onEnd && models.length > 0 && last >= models.length - 3) onEnd();
  }, [last, models.length, onEnd]);

  return (
    <div
      ref={scroller}
      className="model-list"
      role="list"
      aria-label={label}
      data-count={models.length}
      tabIndex={0}
      onScroll={(e) => placeKept.set(place, e.currentTarget.scrollTop)}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((row) => (
          <Row key={models[row.index].id} model={models[row.index]} start={row.start} size={row.size} />
        ))}
      </div>
    </div>
  );
}
