import { useEffect, useState, type FormEvent } from 'react';
import type { TokenStatus } from '../../../../shared/catalog';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorInfo } from '../../lib/errors';

/** The Replicate API token: whether one is set and where from; set or clear it. The token is never shown. */
export function ApiTokenSection() {
  const [status, setStatus] = useState<TokenStatus | null>(null);
  const [token, setToken] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.getTokenStatus().then(setStatus, (e) => setError(errorInfo(e)));
  }, []);

  const act = async (call: () => Promise<TokenStatus>) => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await call());
      setToken('');
    } catch (e) {
      setError(errorInfo(e));
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) void act(() => api.setApiToken(token.trim()));
  };

  return (
    <section className="panel" aria-labelledby="s-token">
      <h2 id="s-token">Replicate API token</h2>
      <p className="muted small" data-testid="token-status">
        {status === null
          ? 'Checking…'
          : status.present
            ? `A token is set (from ${status.source ?? 'unknown'}).`
            : (status.note || 'No token: Explore and Run locally need one (replicate.com/account/api-tokens).')}
      </p>
      <form onSubmit={save} className="row">
        <label className="field-label" htmlFor="s-api-token">
          {status?.present ? 'Replace the token' : 'Token'}
        </label>
        <input id="s-api-token" type="password" autoComplete="off" placeholder="r8_…" value={token} onChange={(e) => setToken(e.target.value)} />
        <button type="submit" disabled={busy || !token.trim()}>
          Set token
        </button>
        {status?.present && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.clearApiToken())}>
            Clear token
          </button>
        )}
      </form>
      {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}
