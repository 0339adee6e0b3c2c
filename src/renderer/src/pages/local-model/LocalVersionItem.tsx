import type { Version } from '../../../../shared/domain';
import { KeptWeights } from '../../components/KeptWeights';
import { formatBytes, formatTime, shortId } from '../../lib/format';
import { useNavigation } from '../../state/navigation';
import { usePush } from '../../state/push';
import { PushDialog } from '../library/PushDialog';
import { PushLinks } from '../library/PushLinks';
import { LocalFit } from './LocalFit';
import { serverGeneration } from '../../lib/library';
import { WarmBadge, type WarmContainer } from '../../components/WarmBadge';


/**
 * One version of a local model: image and size, the weights kept for its next start (forget them), created,
 * warm or cold, the fit here, where it was pushed; run it, push it.
 */
export function LocalVersionItem({
  version,
  latest,
  warm,
  keptBytes,
  onForgetKept,
}: {
  version: Version;
  latest: boolean;
  warm: WarmContainer | undefined;
  keptBytes: number | undefined;
  onForgetKept: () => Promise<void>;
}) {
  const go = useNavigation((s) => s.go);
  const pushing = usePush((s) => s.versionId === version.id);
  const short = shortId(version.id);
  return (
    <li className="local-version" data-version-id={version.id} aria-labelledby={`local-version-${short}`}>
      <div className="local-version-head">
        <h3 id={`local-version-${short}`}>
          <span className="mono" title={version.id}>
            {short}
          </span>{' '}
          {latest && <span className="badge">latest</span>}
        </h3>
        <div className="row-actions">
          <button type="button" className={latest ? 'primary' : undefined} onClick={() => go({ page: 'playground', modelId: version.modelId, versionId: version.id })}>
            Run in playground
          </button>
          <button type="button" aria-haspopup="dialog" onClick={() => void usePush.getState().open(version.id)}>
            Push…
          </button>
        </div>
      </div>
      <dl className="local-version-facts">
        <div>
          <dt>Image</dt>
          <dd className="mono">{version.imageRef}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd data-testid="image-size">{formatBytes(version.sizeBytes)}</dd>
        </div>
        <div>
          <dt>Kept weights</dt>
          <dd data-testid="kept-weights-fact">{keptBytes === undefined ? <span className="muted">none</span> : <KeptWeights bare bytes={keptBytes} onForget={onForgetKept} />}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatTime(version.createdAt)}</dd>
        </div>
        <div>
          <dt>Cog</dt>
          <dd>{version.cogVersion ?? '—'}</dd>
        </div>
        <div>
          <dt>Cog server</dt>
          <dd data-testid="cog-server" title="The server inside the image that runs the model, from its labels">
            {serverGeneration(version) ?? <span className="muted">not told by its labels</span>}
          </dd>
        </div>
        <div>
          <dt>Now</dt>
          <dd data-testid="warm">
            <WarmBadge warm={warm} />
          </dd>
        </div>
        <div>
          <dt>On this machine</dt>
          <dd data-testid="fit">
            <LocalFit versionId={version.id} />
          </dd>
        </div>
      </dl>
      <PushLinks versionId={version.id} />
      {pushing && <PushDialog version={version} />}
    </li>
  );
}
