import { useEffect, useState } from 'react';
import { FitBadge } from '../../components/FitBadge';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';
import type { FitEntry } from '../../state/fit';

/** Whether a local version runs on this machine (checkFit on its image), as the shared fit badge with its sentence. */
export function LocalFit({ versionId }: { versionId: string }) {
  const [entry, setEntry] = useState<FitEntry>({ state: 'checking' });
  useEffect(() => {
    let live = true;
    setEntry({ state: 'checking' });
    api.checkFit({ version: versionId }).then(
      (fit) => live && setEntry({ state: 'done', fit, at: Date.now() }),
      (e: unknown) => live && setEntry({ state: 'failed', error: errorInfo(e), at: Date.now() }),
    );
    return () => {
      live = false;
    };
  }, [versionId]);
  return <FitBadge entry={entry} full />;
}
