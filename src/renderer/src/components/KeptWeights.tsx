import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { errorInfo } from '../lib/errors';
import { formatBytes } from '../lib/format';
import { keptLine } from '../lib/library';
import { ConfirmButton } from './ConfirmButton';
import { ErrorNotice } from './ErrorNotice';

/**
 * A version's kept weights ("weights kept: 4.2 MB") and Forget (the first press asks, the second forgets:
 * the next start downloads them again). Nothing when none is kept; `bare`: the size alone, under a label.
 */
export function KeptWeights({ bytes, onForget, bare }: { bytes: number | undefined; onForget: () => Promise<void>; bare?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (bytes === undefined && !error) return null;
  const forget = async () => {
    setBusy(true);
    setError(null);
    try {
      await onForget();
    } catch (e) {
      setError(errorInfo(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="kept-weights" data-testid="kept-weights">
      {bytes !== undefined && (
        <span className="row">
          <span title="What this version's setup downloaded, kept so that its next start skips the download and works offline">
            {bare ? formatBytes(bytes) : keptLine(bytes)}
          </span>
          <ConfirmButton label={busy ? 'Forgetting…' : 'Forget'} confirmLabel="Forget weights?" disabled={busy} onConfirm={() => void forget()} />
        </span>
      )}
      {error && <ErrorNotice error={error} title="Could not forget the kept weights" onDismiss={() => setError(null)} />}
    </div>
  );
}
