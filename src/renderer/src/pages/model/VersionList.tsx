import type { RemoteVersion } from '../../../../shared/catalog';
import { formatTime, shortId } from '../../lib/format';

/** The model's versions, newest first. */
export function VersionList({ versions }: { versions: RemoteVersion[] }) {
  if (versions.length === 0) return <p className="muted">No versions listed.</p>;
  return (
    <table aria-label="Versions">
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Cog</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v, i) => (
          <tr key={v.id} data-remote-version={v.id}>
            <td>
              <code title={v.id}>{shortId(v.id)}</code> {i === 0 && <span className="badge">latest</span>}
            </td>
            <td>{v.cogVersion ?? '—'}</td>
            <td>{formatTime(v.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
