import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { RemoteModel } from '../../../../shared/catalog';
import { RemoteModelCard } from './RemoteModelCard';

const ROW_HEIGHT = 120;

/** Models in a virtualized list: only the rows in view are in the page, so thousands stay smooth. */
export function ModelList({ models, label, onEnd }: { models: RemoteModel[]; label: string; onEnd?: () => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: models.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (onEnd && models.length > 0 && last >= models.length - 3) onEnd();
  }, [last, models.length, onEnd]);

  return (
    <div ref={scroller} className="model-list" role="list" aria-label={label} data-count={models.length}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((row) => (
          <div
            key={models[row.index].id}
            role="listitem"
            className="model-list-row"
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: row.size, transform: `translateY(${row.start}px)` }}
          >
            <RemoteModelCard model={models[row.index]} />
          </div>
        ))}
      </div>
    </div>
  );
}
