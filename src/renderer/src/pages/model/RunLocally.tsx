import { useEffect } from 'react';
import type { RemoteModel } from '../../../../shared/catalog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { FitBadge } from '../../components/FitBadge';
import { ProgressBar, pullProgressText } from '../../components/ProgressBar';
import { useFit } from '../../state/fit';
import { useModelPage } from '../../state/modelPage';
import { useNavigation } from '../../state/navigation';

/**
 * "Run locally": whether the latest version fits this machine (read from its image before any pull), then
 * pulls it with progress and opens the Playground prefilled.
 */
export function RunLocally({ model }: { model: RemoteModel }) {
  const { pull, runLocally, cancelPull } = useModelPage();
  const go = useNavigation((s) => s.go);
  const mine = pull && pull.modelId === model.id ? pull : null;
  const fit = useFit(model.id, model.latestVersion?.id);

  useEffect(() => {
    if (mine?.state !== 'succeeded' || !mine.version || mine.opened) return;
    useModelPage.setState({ pull: { ...mine, opened: true } });
    const input = mine.input ?? model.defaultExample?.input;
    go({ page: 'playground', modelId: mine.version.modelId, versionId: mine.version.id, input: input && Object.keys(input).length ? input : undefined, inputFrom: model.id, inputExample: mine.inputExample });
  }, [mine, model, go]);

  const busy = mine?.state === 'starting' || mine?.state === 'running';
  const p = mine?.progress;
  // The engine's message carries the bytes; the percent only once every layer's size is known.
  const text = p ? pullProgressText(p) : 'Starting…';
  return (
    <section className="panel run-locally" aria-labelledby="run-locally" data-state={mine?.state ?? 'idle'}>
      <h2 id="run-locally">Run locally</h2>
      <p className="muted small">Pulls the latest version's image to this machine, then opens the Playground with the default example's input.</p>
      <FitBadge entry={fit} full />
      <div className="row">
        <button type="button" className="primary" disabled={busy || !model.latestVersion} onClick={() => void runLocally()}>
          Run locally
        </button>
        {busy && mine?.taskId && (
          <button type="button" onClick={() => void cancelPull()}>
            Cancel
          </button>
        )}
      </div>
      {busy && <ProgressBar label={`Pulling ${model.id}`} percent={p ? p.percent : null} text={text} />}
      {mine?.state === 'canceled' && <p className="muted">Pull canceled.</p>}
      {mine?.state === 'failed' && mine.error && <ErrorNotice error={mine.error} title="Could not pull" />}
    </section>
  );
}
