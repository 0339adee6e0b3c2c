import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorInfo } from '../../lib/errors';
import { useLibrary } from '../../state/library';

/** Pull an image by reference (a Replicate version, or any Cog image). */
export function PullForm() {
  const pull = useLibrary((s) => s.pull);
  const [ref, setRef] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ref.trim()) return;
    setError(null);
    try {
      await pull(ref.trim());
      setRef('');
    } catch (err) {
      setError(errorInfo(err));
    }
  };
  return (
    <form className="pull-form" onSubmit={(e) => void submit(e)} aria-label="Pull an image">
      <label htmlFor="pull-ref">Image</label>
      <div className="row">
        <input
          id="pull-ref"
          className="grow mono"
          placeholder="r8.im/owner/model@sha256:… or registry/image:tag"
          value={ref}
          onChange={(e) => setRef(e.target.value)}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="primary" disabled={!ref.trim()}>
          Pull
        </button>
      </div>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </form>
  );
}
