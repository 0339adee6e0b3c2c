import { ErrorNotice } from '../../components/ErrorNotice';
import { ProgressBar, pullProgressText } from '../../components/ProgressBar';
import { formatBytes } from '../../lib/format';
import { useLibrary, type PullTask } from '../../state/library';
import { useNavigation } from '../../state/navigation';

function progressText(task: PullTask): string {
  const p = task.progress;
  if (task.state === 'succeeded') return `Pulled${p && p.bytesTotal ? ` · ${formatBytes(p.bytesTotal)}` : ''} · 100%`;
  if (!p) return 'Starting…';
  // The engine's message says the phase, layers and bytes ("Downloading 2 layers (12.1 MB of 48.0 MB)").
  return pullProgressText(p);
}

/** One pull: its progress bar (bytes, layers, percent) while it runs, cancel; then the outcome. */
export function PullTaskRow({ task }: { task: PullTask }) {
  const { cancelTask, dismissTask } = useLibrary();
  const go = useNavigation((s) => s.go);
  const percent = task.state === 'succeeded' ? 100 : task.progress ? task.progress.percent : null;
  return (
    <li className="pull-task" data-state={task.state} data-task-id={task.taskId}>
      <p className="mono">{task.ref}</p>
      {task.state === 'running' || task.state === 'succeeded' ? (
        <ProgressBar label={`Pulling ${task.ref}`} percent={percent} text={progressText(task)} />
      ) : task.error ? (
        <ErrorNotice error={task.error} title={task.state === 'canceled' ? 'Canceled' : 'Pull failed'} />
      ) : null}
      <div className="row">
        {task.state === 'running' ? (
          <button type="button" onClick={() => void cancelTask(task.taskId)}>
            Cancel
          </button>
        ) : (
          <>
            {task.version && (
              <button type="button" className="primary" onClick={() => go({ page: 'playground', modelId: task.version!.modelId, versionId: task.version!.id })}>
                Open in Playground
              </button>
            )}
            <button type="button" onClick={() => dismissTask(task.taskId)}>
              Dismiss
            </button>
          </>
        )}
      </div>
    </li>
  );
}
