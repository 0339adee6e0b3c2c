import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useEngine } from '../../state/engine';
import { useLibrary } from '../../state/library';
import { DiskUsageSummary } from './DiskUsageSummary';
import { ModelCard } from './ModelCard';
import { PullForm } from './PullForm';
import { PullTaskRow } from './PullTaskRow';
import { SkippedImages } from './SkippedImages';

/**
 * Local models and versions (images built with `cog build` included), what is warm now, disk use, and
 * pulling images with progress.
 */
export function LibraryPage() {
  const { models, versions, disk, skipped, loaded, error, tasks, refresh } = useLibrary();
  const { status, refreshStatus } = useEngine();
  useEffect(() => {
    void refresh();
    void refreshStatus();
    const t = setInterval(() => void refreshStatus(), 3000); // what is warm changes on its own
    return () => clearInterval(t);
  }, [refresh, refreshStatus]);
  return (
    <>
      <PageHeader title="Library">
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </PageHeader>
      <PullForm />
      {tasks.length > 0 && (
        <ul className="pull-tasks" aria-label="Pulls">
          {tasks.map((t) => (
            <PullTaskRow key={t.taskId} task={t} />
          ))}
        </ul>
      )}
      {disk && <DiskUsageSummary disk={disk} />}
      {error && <ErrorNotice error={error} />}
      {skipped.length > 0 && <SkippedImages skipped={skipped} />}
      {!loaded && <Loading text="Loading the library…" />}
      {loaded && models.length === 0 && <p className="muted">No local models yet: pull an image above, or build one with `cog build -t NAME` and refresh.</p>}
      {models.map((m) => (
        <ModelCard key={m.id} model={m} versions={versions[m.id] ?? []} status={status} disk={disk} />
      ))}
    </>
  );
}
