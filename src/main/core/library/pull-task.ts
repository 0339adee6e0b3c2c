/**
 * A pull as a task: progress and the end arrive as `task` events with the returned id; cancelTask stops it.
 * Used for pulling an image and pulling a Replicate model alike.
 */
import type { TaskEvent } from '../../../shared/api';
import type { PullProgress, Version } from '../../../shared/domain';
import { CogdeskError, toErrorInfo } from '../../../shared/errors';
import type { EventBus } from '../events';
import type { Tasks } from '../tasks';

export type PullWork = (o: { onProgress: (p: PullProgress) => void; signal: AbortSignal }) => Promise<Version>;

export function startPullTask(d: { tasks: Tasks; events: EventBus }, ref: string, work: PullWork): { taskId: string } {
  const task = d.tasks.begin();
  let last: PullProgress | null = null;
  const emit = (event: TaskEvent) => d.events.emit('task', event);
  void work({
    signal: task.signal,
    onProgress: (progress) => {
      last = progress;
      emit({ taskId: task.taskId, kind: 'pull', state: 'running', progress });
    },
  })
    .then((version) => emit({ taskId: task.taskId, kind: 'pull', state: 'succeeded', version, progress: last ?? doneProgress(ref) }))
    .catch((e) =>
      emit({
        taskId: task.taskId,
        kind: 'pull',
        state: e instanceof CogdeskError && e.code === 'pull_canceled' ? 'canceled' : 'failed',
        error: toErrorInfo(e),
      }),
    )
    .finally(task.end);
  return { taskId: task.taskId };
}

function doneProgress(ref: string): PullProgress {
  return {
    ref,
    phase: 'done',
    layers: { total: 0, done: 0, downloading: 0, extracting: 0, alreadyExists: 0 },
    bytesDone: 0,
    bytesTotal: 0,
    percent: 100,
    message: 'Pulled',
  };
}
