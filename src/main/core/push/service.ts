/**
 * Pushing local versions to the Replicate account, for the contract: the plan, the push as a task (its
 * progress and end as `task` events), the registry login, where a version was pushed, and the hardware
 * of the models pushes created (what their runs are priced on).
 */
import type { CogdeskApi } from '../../../shared/api';
import { CogdeskError, toErrorInfo } from '../../../shared/errors';
import type { EventBus } from '../events';
import type { Tasks } from '../tasks';
import { parseDestination } from './destination';
import type { Pusher } from './index';

export type PushCalls = Pick<CogdeskApi, 'planPush' | 'pushVersion' | 'getRegistryLogin' | 'setRegistryToken' | 'clearRegistryToken' | 'listPushes' | 'getModelSkus'>;

export function createPushService(d: { pusher: Pusher; tasks: Tasks; events: EventBus }): PushCalls {
  const { pusher, events } = d;
  return {
    planPush: (request) => pusher.plan(request),

    async pushVersion(request) {
      // The destination's naming rules answer at once; everything else arrives as the task's events.
      parseDestination(request?.destination, pusher.registry());
      const task = d.tasks.begin();
      void pusher
        .push(request, {
          signal: task.signal,
          onProgress: (progress) => events.emit('task', { taskId: task.taskId, kind: 'push', state: 'running', progress }),
        })
        .then((result) => events.emit('task', { taskId: task.taskId, kind: 'push', state: 'succeeded', progress: result.progress, result }))
        .catch((e) =>
          events.emit('task', {
            taskId: task.taskId,
            kind: 'push',
            state: e instanceof CogdeskError && e.code === 'canceled' ? 'canceled' : 'failed',
            error: toErrorInfo(e),
          }),
        )
        .finally(task.end);
      return { taskId: task.taskId };
    },

    getRegistryLogin: () => pusher.loginStatus(),
    setRegistryToken: (token) => pusher.login(token),
    clearRegistryToken: () => pusher.logout(),
    async listPushes(versionId) {
      return pusher.links(versionId);
    },
    async getModelSkus() {
      return pusher.hardware.known(pusher.registry());
    },
  };
}
