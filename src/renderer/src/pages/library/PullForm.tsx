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
    const wanted = ref.trim();
    if (!wanted) return;
    setError(null);
    // Cleared at once, so the next image can be typed while this one starts (clearing it after the call
    // answered would wipe what was typed meanwhile); a refused one comes back to be corrected.
    setRef('');
    try {
      await pull(wanted);
    } catch (err) {
      setRef((typed) => typed || wanted);
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
