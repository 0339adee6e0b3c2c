import { useState } from 'react';
import type { RemoteModel } from '../../../../shared/catalog';
import { FitBadge } from '../../components/FitBadge';
import { formatRuns, safeImage } from '../../lib/catalog';
import { useFit } from '../../state/fit';
import { useNavigation } from '../../state/navigation';

/** A Replicate model as a card: cover, name, description, run count, hardware fit; opens its page. */
export function RemoteModelCard({ model }: { model: RemoteModel }) {
  const go = useNavigation((s) => s.go);
  const [broken, setBroken] = useState(false);
  const cover = broken ? null : safeImage(model.coverImageUrl);
  const fit = useFit(model.id, model.latestVersion?.id);
  return (
    <article className="remote-card" data-remote-model={model.id}>
      <div className="remote-cover" aria-hidden="true">
        {cover ? <img src={cover} alt="" loading="lazy" onError={() => setBroken(true)} /> : <span>{model.name.slice(0, 1).toUpperCase()}</span>}
      </div>
      <div className="remote-body">
        <h3>
          <button type="button" className="link" onClick={() => go({ page: 'model', remoteModelId: model.id })}>
            {model.id}
          </button>
          {model.isOfficial && <span className="badge">official</span>}
        </h3>
        {model.description && <p className="remote-description">{model.description}</p>}
        <p className="muted small remote-facts">
          <span data-testid="run-count">{formatRuns(model.runCount)}</span>
          <FitBadge entry={fit} />
        </p>
      </div>
    </article>
  );
}
