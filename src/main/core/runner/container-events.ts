/**
 * Docker's event stream for this data folder's containers: a model container that dies or is removed from
 * outside Cogdesk (`cogdesk stop` from another process, `docker rm -f`, a crash while idle) is forgotten by
 * the warm pool as it happens, so the next prediction starts a fresh one instead of failing on the old one.
 * Costs nothing per prediction: one long-lived request to the engine, which never keeps the process alive.
 */
import type Docker from 'dockerode';
import { LABELS } from '../docker/containers';

export interface ContainerWatch {
  /** Stops watching (at the engine's close). */
  close(): void;
  /** Settles when the stream ends (Docker restarted, or closed): the next `ready()` watches again. */
  readonly ended: Promise<void>;
}

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string };
  id?: string;
}

/** Calls `onEnd(containerId)` for every `die` or `destroy` of a container with this home's labels. */
export async function watchContainerEnds(docker: Docker, homeId: string, onEnd: (containerId: string) => void): Promise<ContainerWatch> {
  const stream = (await docker.getEvents({
    filters: { type: ['container'], event: ['die', 'destroy'], label: [`${LABELS.managed}=true`, `${LABELS.home}=${homeId}`] },
  })) as NodeJS.ReadableStream & { destroy(): void; socket?: { unref(): void } };
  // An idle stream must never keep a CLI command from exiting.
  stream.socket?.unref();
  let pending = '';
  stream.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const event = JSON.parse(line) as DockerEvent;
        const id = event.Actor?.ID ?? event.id;
        if (id && (event.Action === 'die' || event.Action === 'destroy')) onEnd(id);
      } catch {
        // not an event: skip it
      }
    }
  });
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
  return { close: () => stream.destroy(), ended };
}

/** True when Docker says the container is removed or no longer running (false when Docker cannot tell). */
export async function containerGone(docker: Docker, containerId: string): Promise<boolean> {
  try {
    const info = await docker.getContainer(containerId).inspect();
    return !info.State.Running;
  } catch (e) {
    return (e as { statusCode?: number }).statusCode === 404;
  }
}
