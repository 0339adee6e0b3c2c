import { useEffect, useRef, useState } from 'react';
import type { Version } from '../../../../shared/domain';
import type { PushRequest, Visibility } from '../../../../shared/push';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes } from '../../lib/format';
import { usePush } from '../../state/push';
import { PushPlanView } from './PushPlanView';
import { RegistryTokenForm } from './RegistryTokenForm';

/** Push a local version to Replicate: destination, visibility, hardware; Check (the plan) first, then Push. */
export function PushDialog({ version }: { version: Version }) {
  const s = usePush();
  const ref = useRef<HTMLDialogElement>(null);
  const [destination, setDestination] = useState(version.modelId.split('/').slice(-2).join('/'));
  const [visibility, setVisibility] = useState<Visibility>('private');
  const [hardware, setHardware] = useState('');

  useEffect(() => {
    ref.current?.showModal?.();
  }, []);
  useEffect(() => {
    if (s.plan && !s.plan.model.exists && !hardware) setHardware(s.plan.model.hardware.sku);
  }, [s.plan, hardware]);

  const request: PushRequest = { version: version.id, destination: destination.trim(), visibility, hardware: hardware.trim() || undefined };
  const t = s.task;
  const running = t?.state === 'running';
  const p = t?.progress;
  return (
    <dialog ref={ref} className="push-dialog" aria-labelledby="push-title" onCancel={(e) => (running ? e.preventDefault() : s.close())}>
      <h2 id="push-title">Push to Replicate</h2>
      <p className="muted small mono">{version.imageRef}</p>
      {s.login && !s.login.source && <RegistryTokenForm registry={s.login.registry} onSave={(token) => void s.setToken(token)} />}
      {s.login?.source && (
        <p className="muted small" data-testid="registry-login">
          Registry {s.login.registry}: logged in{s.login.username ? ` as ${s.login.username}` : ''} ({s.login.where ?? s.login.source}).
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void s.check(request);
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="push-destination">
            Destination (owner/name)
          </label>
          <input id="push-destination" value={destination} onChange={(e) => setDestination(e.target.value)} disabled={running} />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="push-visibility">
            Visibility (for a new model)
          </label>
          <select id="push-visibility" value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)} disabled={running}>
            <option value="private">private</option>
            <option value="public">public</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="push-hardware">
            Hardware (for a new model)
          </label>
          <input id="push-hardware" value={hardware} placeholder="from the plan: this machine's SKU" onChange={(e) => setHardware(e.target.value)} disabled={running} />
        </div>
        <div className="row">
          <button type="submit" disabled={running || s.planning || !destination.trim()}>
            Check
          </button>
          <button type="button" className="primary" disabled={!s.plan || running || t?.state === 'succeeded'} onClick={() => void s.push(request)}>
            Push
          </button>
          {running && (
            <button type="button" onClick={() => void s.cancel()}>
              Cancel push
            </button>
          )}
          <button type="button" className="link" disabled={running} onClick={() => s.close()}>
            Close
          </button>
        </div>
      </form>
      {s.planning && <Loading text="Checking…" />}
      {s.error && <ErrorNotice error={s.error} />}
      {s.plan && <PushPlanView plan={s.plan} />}
      {running && (
        <ProgressBar
          label="Pushing"
          percent={p ? p.percent : null}
          text={p ? `${p.phase}: ${p.message}${p.bytesTotal ? ` (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})` : ''} · ${Math.round(p.percent)}%` : 'Starting…'}
        />
      )}
      {t?.state === 'succeeded' && t.result && (
        <p className="notice notice-ok" role="status" data-testid="push-done">
          Pushed as {t.result.link.modelId}:{t.result.link.remoteVersionId.slice(0, 12)}
          {t.result.url && (
            <>
              {' '}
              <a href={t.result.url} target="_blank" rel="noopener noreferrer">
                Open on Replicate
              </a>
            </>
          )}
        </p>
      )}
      {(t?.state === 'failed' || t?.state === 'canceled') && t.error && <ErrorNotice error={t.error} title={t.state === 'canceled' ? 'Push canceled' : 'Push failed'} />}
    </dialog>
  );
}
