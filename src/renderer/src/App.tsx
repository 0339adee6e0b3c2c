import { useEffect } from 'react';
import { api } from './api';
import { useStore } from './store';

/** The first window: Docker's state, the local library and the prediction history, live. */
export function App() {
  const { status, models, predictions, error, refresh, upsertPrediction } = useStore();

  useEffect(() => {
    void refresh();
    return api.on('prediction', upsertPrediction);
  }, [refresh, upsertPrediction]);

  return (
    <main>
      <header>
        <h1>Cogdesk</h1>
        {status && (
          <p className={status.docker.ok ? 'ok' : 'problem'} role="status">
            {status.docker.ok ? `Docker ${status.docker.version}` : `${status.docker.message}. ${status.docker.hint ?? ''}`}
          </p>
        )}
      </header>
      {error && <p className="problem">{error.message}</p>}
      <section aria-labelledby="models">
        <h2 id="models">Models</h2>
        {models.length === 0 ? (
          <p>No models yet. Pull one with <code>cogdesk pull IMAGE</code>.</p>
        ) : (
          <ul>
            {models.map((m) => (
              <li key={m.id}>
                {m.id} <small>{m.versionCount} version(s)</small>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="predictions">
        <h2 id="predictions">Predictions</h2>
        <table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Model</th>
              <th>Status</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {predictions.map((p) => (
              <tr key={p.id}>
                <td>{p.id}</td>
                <td>{p.modelId}</td>
                <td className={`status-${p.status}`}>{p.status}</td>
                <td>{new Date(p.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
