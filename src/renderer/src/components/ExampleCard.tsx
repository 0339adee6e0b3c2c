import type { MouseEvent, ReactNode } from 'react';
import type { ExampleInput } from '../lib/examples';
import { ExampleInputView } from './ExampleInputView';

/**
 * One example as a card: its output rendered, its input as the form shows it, and a button that opens it in
 * the Playground (a click anywhere on the card that is not on a control does the same).
 */
export function ExampleCard({
  id,
  badges,
  output,
  input,
  predictionId,
  openLabel = 'Open in Playground',
  onOpen,
  disabled,
}: {
  id: string;
  badges?: ReactNode;
  output: ReactNode;
  input: ExampleInput;
  /** A local prediction whose kept input files can be previewed; null for Replicate's examples. */
  predictionId: string | null;
  openLabel?: string;
  onOpen: () => void;
  disabled?: boolean;
}) {
  const onCard = (e: MouseEvent<HTMLLIElement>) => {
    if (disabled) return;
    if ((e.target as HTMLElement).closest('button, a, audio, video, input, summary, details')) return;
    onOpen();
  };
  return (
    <li className="example-card" data-example-id={id} onClick={onCard}>
      <div className="example-output">{output}</div>
      <div className="example-body">
        {badges && <div className="example-badges">{badges}</div>}
        <ExampleInputView input={input} predictionId={predictionId} />
      </div>
      <div className="example-actions">
        <button type="button" disabled={disabled} onClick={onOpen}>
          {openLabel}
        </button>
      </div>
    </li>
  );
}
