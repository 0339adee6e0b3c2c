import { useEffect, useRef, useState } from 'react';
import { loadThumbnail, type Thumbnail } from './thumbnails';

/**
 * A small picture of a prediction's first image output, read only once its row comes near the screen.
 * Until then (and for predictions without an image) an empty box of the same size keeps the rows still.
 */
export function HistoryThumbnail({ predictionId, path }: { predictionId: string; path: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);
  const [thumb, setThumb] = useState<Thumbnail | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el || !path || near) return;
    const seen = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), { rootMargin: '200px' });
    seen.observe(el);
    return () => seen.disconnect();
  }, [path, near]);

  useEffect(() => {
    if (!near || !path) return;
    let live = true;
    void loadThumbnail(predictionId, path).then((t) => live && setThumb(t));
    return () => {
      live = false;
    };
  }, [near, predictionId, path]);

  const name = path?.split(/[\\/]/).pop() ?? '';
  return (
    <div ref={box} className="history-thumb" data-thumbnail={thumb?.kind ?? (path ? 'pending' : 'none')}>
      {thumb?.kind === 'image' && <img src={thumb.src} alt={name} width={48} height={48} decoding="async" />}
      {thumb?.kind === 'icon' && (
        <span role="img" aria-label={`${name}: no thumbnail`} title={thumb.reason}>
          🖼
        </span>
      )}
    </div>
  );
}
