import type { EngineStatus } from '../../../shared/domain';

export type WarmContainer = EngineStatus['warmContainers'][number];

/** "2 running, 3 queued (4 at once)": running and waiting apart. */
function runningText(warm: WarmContainer): string {
  const running = warm.running ?? 1;
  const waiting = Math.max(0, warm.queued - running);
  return `${running} running${waiting ? `, ${waiting} queued` : ''}${warm.limit && warm.limit > 1 ? ` (${warm.limit} at once)` : ''}`;
}

/** Whether a version is warm now (its container started, on GPU or CPU, busy or not) or cold. */
export function WarmBadge({ warm }: { warm: WarmContainer | undefined }) {
  if (!warm) return <span className="muted">cold</span>;
  return (
    <span className="badge status-succeeded" title={`${warm.url} · container ${warm.containerId.slice(0, 12)}`}>
      warm · {warm.runsOn}
      {warm.busy ? ` · ${runningText(warm)}` : ''}
    </span>
  );
}
