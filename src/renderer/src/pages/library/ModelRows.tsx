import { useState } from 'react';
import type { EngineStatus } from '../../../../shared/domain';
import { WarmBadge } from '../../components/WarmBadge';
import { formatAgo, formatBytes } from '../../lib/format';
import type { LibraryRow } from '../../lib/library';
import { useNavigation } from '../../state/navigation';
import { usePush } from '../../state/push';
import { VersionRow } from './VersionRow';

/** One model in the Library's table, and (opened) its versions with their own actions. */
export function ModelRows({ row, status }: { row: LibraryRow; status: EngineStatus | null }) {
  const { model, versions } = row;
  const [opened, setOpen] = useState(false);
  // A push under way keeps its version's dialog in view.
  const pushing = usePush((s) => versions.some((v) => v.id === s.versionId));
  const open = opened || pushing;
  const go = useNavigation((s) => s.go);
  const latest = versions[0];
  const warm = latest ? status?.warmContainers.find((w) => versions.some((v) => v.id === w.versionId)) : undefined;
  const listId = `versions-of-${model.id.replace(/[^\w-]/g, '_')}`;
  return (
    <tbody data-model-id={model.id} data-open={open}>
      <tr className="model-row">
        <th scope="row">
          <button type="button" className="link model-name" title={`Open ${model.id}'s page`} onClick={() => go({ page: 'local-model', modelId: model.id })}>
            {model.id}
          </button>
        </th>
        <td className="num">
          <button type="button" className="link" aria-expanded={open} aria-controls={listId} aria-label={`Versions of ${model.id}`} title="Show the versions" onClick={() => setOpen(!open)}>
            {versions.length} {open ? '▾' : '▸'}
          </button>
        </td>
        <td className="num">{formatBytes(row.sizeBytes)}</td>
        <td title={row.lastUsed ?? undefined}>{row.lastUsed ? formatAgo(row.lastUsed) : <span className="muted">never</span>}</td>
        <td className="num" data-testid="kept-weights-column" title="What the versions' setups downloaded, kept for their next start">
          {row.keptBytes === null ? <span className="muted">—</span> : formatBytes(row.keptBytes)}
        </td>
        <td>
          <WarmBadge warm={warm} />
        </td>
        <td>{row.server ?? <span className="muted">—</span>}</td>
        <td>
          <div className="row-actions">
            <button type="button" disabled={!latest} onClick={() => latest && go({ page: 'playground', modelId: model.id, versionId: latest.id })}>
              Run
            </button>
          </div>
        </td>
      </tr>
      {open && (
        <tr className="versions-row" id={listId}>
          <td colSpan={8}>
            <table aria-label={`Versions of ${model.id}`} className="versions">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Image size</th>
                  <th scope="col">Cog</th>
                  <th scope="col">Now</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v, i) => (
                  <VersionRow key={v.id} version={v} latest={i === 0} warm={status?.warmContainers.find((w) => w.versionId === v.id)} />
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </tbody>
  );
}
