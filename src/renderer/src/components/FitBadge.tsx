import type { FitKind } from '../../../shared/hardware';
import type { FitEntry } from '../state/fit';

const TEXT: Record<FitKind, string> = {
  gpu: 'Runs here · GPU',
  cpu: 'Runs here · CPU',
  needs_gpu: 'Needs GPU',
  unknown: 'Fit unknown',
};

/** The short text and the full sentence for a fit check's state. */
export function describeFit(entry: FitEntry): { kind: FitKind | 'checking'; text: string; sentence: string } {
  if (entry.state === 'done') {
    // The GPU is there, its driver is too old for the image's CUDA: the fix is a driver, not a GPU.
    const text = entry.fit.reason === 'cuda_too_old' ? 'Needs newer driver' : TEXT[entry.fit.kind];
    return { kind: entry.fit.kind, text, sentence: entry.fit.sentence };
  }
  if (entry.state === 'failed') {
    const e = entry.error;
    return { kind: 'unknown', text: TEXT.unknown, sentence: `Could not check whether it fits this machine: ${e.message.replace(/[.\s]+$/, '')}.${e.hint ? ` ${e.hint}` : ''}` };
  }
  return { kind: 'checking', text: 'Checking fit…', sentence: 'Reading what this version needs from its image (nothing is pulled)…' };
}

/**
 * Whether a Replicate model fits this machine: "Runs here · GPU", "Runs here · CPU", "Needs GPU" or
 * "Fit unknown", with the whole sentence as its tooltip; `full` also writes the sentence out (the model page).
 */
export function FitBadge({ entry, full = false }: { entry: FitEntry | null; full?: boolean }) {
  if (!entry) return null;
  const d = describeFit(entry);
  const badge = (
    <span className={`badge fit-badge fit-${d.kind}`} title={d.sentence} data-testid="fit-badge" data-fit={d.kind} aria-label={full ? undefined : `${d.text}: ${d.sentence}`}>
      {d.text}
    </span>
  );
  if (!full) return badge;
  return (
    <p className="fit-line" data-testid="fit-line" data-fit={d.kind} role="status">
      {badge} <span className="fit-sentence" data-testid="fit-sentence">{d.sentence}</span>
    </p>
  );
}
