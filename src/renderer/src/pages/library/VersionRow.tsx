import { useState } from 'react';
import type { Version } from '../../../../shared/domain';
import type { ErrorInfo } from '../../../../shared/errors';
import { ConfirmButton } from '../../components/ConfirmButton';
import { KeptWeights } from '../../components/KeptWeights';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorInfo } from '../../lib/errors';
import { formatBytes, formatTime, shortId } from '../../lib/format';
import { forgetVersion } from '../../lib/useVersion';
import { useLibrary } from '../../state/library';
import { useNavigation } from '../../state/navigation';
import { usePush } from '../../state/push';
import { PushDialog } from './PushDialog';
import { PushLinks } from './PushLinks';
import { WarmBadge, type WarmContainer } from '../../components/WarmBadge';


/**
 * One local version: image, size, the weights kept for its next start (forget them), whether it is warm now;
 * run it, delete it (container, image and kept weights).
 */
export function VersionRow({ version, warm, latest }: { version: Version; warm: WarmContainer | undefined; latest: boolean }) {
  const deleteVersion = useLibrary((s) => s.deleteVersion);
  const forgetKept = useLibrary((s) => s.forgetKeptWeights);
  const kept = useLibrary((s) => s.kept[version.id]);
  const go = useNavigation((s) => s.go);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const pushing = usePush((s) => s.versionId === version.id);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteVersion(version.id);
      forgetVersion(version.id);
    } catch (e) {
      setError(errorInfo(e));
      setBusy(false);
    }
  };
  return (
    <tr data-version-id={version.id}>
      <td>
        <span className="mono" title={version.id}>
          {shortId(version.id)}
        </span>{' '}
        {latest && <span className="badge">latest</span>}
        <div className="mono muted small">{version.imageRef}</div>
        <KeptWeights bytes={kept} onForget={() => forgetKept(version.id)} />
        <PushLinks versionId={version.id} />
        {pushing && <PushDialog version={version} />}
        {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      </td>
      <td>{formatBytes(version.sizeBytes)}</td>
      <td>{version.cogVersion ?? '—'}</td>
      <td>
        <WarmBadge warm={warm} />
      </td>
      <td>{formatTime(version.createdAt)}</td>
      <td>
        <div className="row-actions">
          <button type="button" onClick={() => go({ page: 'playground', modelId: version.modelId, versionId: version.id })}>
          Run
        </button>
          <button type="button" onClick={() => void usePush.getState().open(version.id)}>
            Push to Replicate
          </button>
          <ConfirmButton label={busy ? 'Deleting…' : 'Delete'} confirmLabel="Delete image?" disabled={busy} onConfirm={() => void remove()} />
        </div>
      </td>
    </tr>
  );
}
