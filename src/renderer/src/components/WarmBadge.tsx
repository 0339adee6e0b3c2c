import type { EngineStatus } from '../../../shared/domain';

export type WarmContainer = EngineStatus['warmContainers'][number];

/** Whether a version is warm now (its container started, on GPU or CPU, busy or not) or cold. */
export function WarmBadge({ warm }: { warm: WarmContainer | undefined }) {
  if (!warm) return <span className="muted">cold</span>;
  return (
    <span className="badge status-succeeded" title={`${warm.url} · container ${warm.containerId.slice(0, 12)}`}>
      warm · {warm.runsOn}
      {warm.busy ? ` · busy (${warm.queued} queued)` : ''}
    </span>
  );
}
