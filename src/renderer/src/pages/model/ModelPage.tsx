import { useEffect, useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { OfflineBadge } from '../../components/OfflineBadge';
import { PageHeader } from '../../components/PageHeader';
import { formatRuns, safeImage } from '../../lib/catalog';
import { useModelPage } from '../../state/modelPage';
import { useNavigation, type Route } from '../../state/navigation';
import { ExampleList } from './ExampleList';
import { LocalExamples } from './LocalExamples';
import { ModelLinks } from './ModelLinks';
import { ReadmeView } from './ReadmeView';
import { RunLocally } from './RunLocally';
import { VersionList } from './VersionList';

/** The model's cover image (https, public hosts only), loaded lazily; nothing when it has none or it fails. */
function ModelCover({ url }: { url: string | null }) {
  const [broken, setBroken] = useState(false);
  const src = broken ? null : safeImage(url);
  if (!src) return null;
  return <img className="model-cover" src={src} alt="" loading="lazy" onError={() => setBroken(true)} />;
}

/** A Replicate model's page: description, README, versions, examples, links, and Run locally. */
export function ModelPage({ route }: { route: Route }) {
  const { page, loading, error, freshness, modelId } = useModelPage();
  const go = useNavigation((s) => s.go);
  const id = route.remoteModelId ?? '';

  useEffect(() => {
    if (id) void useModelPage.getState().open(id);
  }, [id]);

  const shown = page && page.model.id === id ? page : null;
  return (
    <>
      <PageHeader title={id || 'Model'}>
        <button type="button" className="link" onClick={() => go({ page: 'explore' })}>
          Back to Explore
        </button>
      </PageHeader>
      <OfflineBadge freshness={freshness} />
      {loading && !shown && <Loading text="Loading the model's page…" />}
      {error && modelId === id && <ErrorNotice error={error} />}
      {shown && (
        <div className="model-page" data-remote-model={shown.model.id}>
          <div className="model-intro">
            <ModelCover key={shown.model.id} url={shown.model.coverImageUrl} />
            <div>
              {shown.model.description && <p className="lead">{shown.model.description}</p>}
              <p className="muted small" data-testid="run-count">
                {formatRuns(shown.model.runCount)}
              </p>
              <ModelLinks model={shown.model} />
            </div>
          </div>
          <RunLocally model={shown.model} />
          <section aria-labelledby="readme-title">
            <h2 id="readme-title">README</h2>
            {shown.readme ? <ReadmeView markdown={shown.readme} /> : <p className="muted">No README.</p>}
          </section>
          <section aria-labelledby="versions-title">
            <h2 id="versions-title">Versions</h2>
            <VersionList versions={shown.versions} />
          </section>
          <section aria-labelledby="examples-title">
            <h2 id="examples-title">Examples</h2>
            <LocalExamples modelId={shown.model.id} />
            {shown.examples.length > 0 && <h3>On Replicate</h3>}
            <ExampleList page={shown} />
          </section>
        </div>
      )}
    </>
  );
}
