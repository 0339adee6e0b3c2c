import { useEffect, useMemo } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { useEngine } from '../../state/engine';
import { libraryRows } from '../../lib/library';
import { useLibrary } from '../../state/library';
import { useNavigation } from '../../state/navigation';
import { DiskUsageSummary } from './DiskUsageSummary';
import { CleanUp } from './CleanUp';
import { LibraryTable } from './LibraryTable';
import { PullForm } from './PullForm';
import { PullTaskRow } from './PullTaskRow';
import { SkippedImages } from './SkippedImages';

/**
 * Local models in one sortable, filtered table (images built with `cog build` included), what is warm now,
 * disk use and freeing it, and pulling images with progress.
 */
export function LibraryPage() {
  const { models, versions, disk, skipped, lastUsed, kept, keptTotalBytes, loaded, error, tasks, refresh } = useLibrary();
  const { status, refreshStatus } = useEngine();
  const go = useNavigation((s) => s.go);
  const rows = useMemo(() => libraryRows(models, versions, disk, status, lastUsed, kept), [models, versions, disk, status, lastUsed, kept]);
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
      {disk && <DiskUsageSummary disk={disk} keptBytes={keptTotalBytes} />}
      {error && <ErrorNotice error={error} />}
      {skipped.length > 0 && <SkippedImages skipped={skipped} />}
      {!loaded && <Loading text="Loading the library…" />}
      {loaded && !error && models.length === 0 && (
        <EmptyState title="No models on this machine yet" action="Find a model on Explore" onAction={() => go({ page: 'explore' })}>
          Find a model on Explore and press <strong>Run locally</strong>: Cogdesk pulls it and opens it in the Playground. You can
          also pull an image by its reference above, or build one with <code>cog build -t NAME</code> and refresh.
        </EmptyState>
      )}
      {models.length > 0 && <LibraryTable rows={rows} status={status} />}
      {models.length > 0 && <CleanUp rows={rows} />}
    </>
  );
}
