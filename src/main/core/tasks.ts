import { randomUUID } from 'node:crypto';
import { CogdeskError } from '../../shared/errors';

/** Long work (pulls now; pushes and starts later): an id, an AbortController, and a way to cancel. */
export class Tasks {
  private readonly running = new Map<string, AbortController>();

  begin(): { taskId: string; signal: AbortSignal; end: () => void } {
    const taskId = randomUUID();
    const controller = new AbortController();
    this.running.set(taskId, controller);
    return { taskId, signal: controller.signal, end: () => this.running.delete(taskId) };
  }

  cancel(taskId: string): void {
    const controller = this.running.get(taskId);
    if (!controller) {
      throw new CogdeskError({ code: 'not_found', message: `No running task ${taskId}`, hint: 'It may have finished already.' });
    }
    controller.abort();
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
