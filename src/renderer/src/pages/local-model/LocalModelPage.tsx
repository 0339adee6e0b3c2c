import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatBytes, formatTime, countOf } from '../../lib/format';
import { useEngine } from '../../state/engine';
import { useNavigation, type Route } from '../../state/navigation';
import { InputSummary } from './InputSummary';
import { LocalExamples } from './LocalExamples';
import { LocalVersionItem } from './LocalVersionItem';
import { ModelConcurrency } from './ModelConcurrency';
import { ModelGpuPin } from './ModelGpuPin';
import { ModelLocalOnly } from './ModelLocalOnly';
import { schemaDescription, useLocalModel } from './useLocalModel';

/**
 * A local model's page: its name and description, versions (newest first) with image, size, the weights kept
 * for its next start, created date, whether warm, the fit for this machine and where each was pushed; the
 * latest version's inputs; the model's examples. Run any version in the Playground, or push it to Replicate;
 * forget a version's kept weights.
 */
export function LocalModelPage({ route }: { route: Route }) {
  const id = route.modelId ?? '';
  const go = useNavigation((s) => s.go);
  const { model, versions, examples, disk, kept, loaded, error, forgetKept } = useLocalModel(id);
  const { status, refreshStatus } = useEngine();
  useEffect(() => {
    void refreshStatus();
    const t = setInterval(() => void refreshStatus(), 3000); // what is warm changes on its own
    return () => clearInterval(t);
  }, [refreshStatus]);

  const latest = versions[0];
  const keptTotal = versions.reduce((n, v) => n + (kept[v.id] ?? 0), 0);
  const description = schemaDescription(latest);
  return (
    <>
      <PageHeader title={id || 'Local model'}>
        <button type="button" className="link" onClick={() => go({ page: 'library' })}>
          Back to Library
        </button>
      </PageHeader>
      {error && <ErrorNotice error={error} />}
      {!loaded && <Loading text="Loading the model…" />}
      {loaded && !error && versions.length === 0 && <p className="muted">{id} has no local versions (it was deleted, or never pulled).</p>}
      {loaded && versions.length > 0 && (
        <div className="local-model-page" data-local-model={id}>
          {description && <p className="lead">{description}</p>}
          <p className="muted small" data-testid="local-model-summary">
            {countOf(versions.length, 'version')} · images {formatBytes(disk ? disk.imagesBytes : versions.reduce((n, v) => n + (v.sizeBytes ?? 0), 0))}
            {keptTotal > 0 && ` · weights kept ${formatBytes(keptTotal)}`}
            {disk && ` · outputs ${formatBytes(disk.outputsBytes)} · ${countOf(disk.predictions, 'prediction')}`}
            {model && ` · in the library since ${formatTime(model.createdAt)}`}
            {model?.repository && (
              <>
                {' · '}
                <span className="mono">{model.repository}</span>
              </>
            )}
          </p>
          <section aria-labelledby="local-versions-title">
            <h2 id="local-versions-title">Versions</h2>
            <ul className="local-versions" aria-label="Versions">
              {versions.map((v, i) => (
                <LocalVersionItem
                  key={v.id}
                  version={v}
                  latest={i === 0}
                  warm={status?.warmContainers.find((w) => w.versionId === v.id)}
                  keptBytes={kept[v.id]}
                  onForgetKept={() => forgetKept(v.id)}
                />
              ))}
            </ul>
          </section>
          {latest?.cogConfig && (latest.cogConfig as { build?: { gpu?: unknown } }).build?.gpu === true && <ModelGpuPin modelId={id} />}
          <ModelConcurrency modelId={id} />
          <ModelLocalOnly modelId={id} />
          <section aria-labelledby="local-inputs-title">
            <h2 id="local-inputs-title">Inputs (latest version)</h2>
            <InputSummary version={latest} />
          </section>
          <section aria-labelledby="local-examples-title">
            <h2 id="local-examples-title">Examples</h2>
            <LocalExamples examples={examples} />
          </section>
        </div>
      )}
    </>
  );
}
