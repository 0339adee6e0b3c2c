import { useEffect, useState } from 'react';
import type { KeptWeightsInfo } from '../../../../shared/domain';
import { api } from '../../api';
import { errorInfo } from '../../lib/errors';
import { keptSummary } from '../../lib/library';
import { useNavigation } from '../../state/navigation';

/** The keepWeights setting, what is kept now in all, and the way to the Library, where each version's can be forgotten. */
export function KeptWeightsSection({ checked, onChange }: { checked: boolean; onChange: (on: boolean) => void }) {
  const go = useNavigation((s) => s.go);
  const [kept, setKept] = useState<KeptWeightsInfo[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.listKeptWeights().then(setKept, (e) => setProblem(`What is kept cannot be listed now: ${errorInfo(e).message}.`));
  }, []);
  return (
    <section className="panel" aria-labelledby="s-weights">
      <h2 id="s-weights">Kept weights</h2>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Keep downloaded weights
      </label>
      <p className="help">
        Keeps what a model's setup downloads (its weights) for the next start of the same version, which then skips the download, starts faster and
        works offline (only while Docker's disk has room; turned off, every start downloads again).
      </p>
      <div className="row">
        <p className="small" role="status" data-testid="kept-weights-summary">
          {problem ?? (kept ? keptSummary(kept) : 'Counting what is kept…')}
        </p>
        <button type="button" className="link" onClick={() => go({ page: 'library' })}>
          See or forget them in the Library
        </button>
      </div>
    </section>
  );
}
