import type { PullProgress } from '../../../shared/domain';

/** A determinate progress bar (role progressbar) with its words beside it; indeterminate when percent is null. */
export function ProgressBar({ label, percent, text }: { label: string; percent: number | null; text?: string }) {
  const value = percent === null ? null : Math.max(0, Math.min(100, percent));
  return (
    <div className="progress">
      <div
        className={`progress-track${value === null ? ' progress-indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value === null ? undefined : Math.round(value)}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: `${value ?? 30}%` }} />
      </div>
      {text && <span className="progress-text">{text}</span>}
    </div>
  );
}

/**
 * The words beside a pull's bar: the engine's message (phase, layers, bytes) and the percent once it is
 * known. While a layer's size is unknown the percent is null: the message then gives the bytes so far.
 */
export function pullProgressText(p: PullProgress): string {
  const words = p.message || p.phase;
  return p.percent === null ? words : `${words} · ${Math.round(p.percent)}%`;
}
