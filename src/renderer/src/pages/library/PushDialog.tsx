import { useEffect, useRef, useState } from 'react';
import type { Version } from '../../../../shared/domain';
import type { PushProgress, PushRequest, Visibility } from '../../../../shared/push';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { ProgressBar } from '../../components/ProgressBar';
import { api } from '../../api';
import { suggestDestination } from '../../lib/destination';
import { usePush } from '../../state/push';
import { PushPlanView } from './PushPlanView';
import { RegistryTokenForm } from './RegistryTokenForm';

function progressText(p: PushProgress): string {
  const layers = p.layers.total > 0 ? ` · layers ${p.layers.done} of ${p.layers.total}` : '';
  return `${p.phase}: ${p.message}${layers} · ${Math.round(p.percent)}%`;
}

/**
 * Push a local version to Replicate (from the Library and a local model's page): destination, visibility,
 * hardware; Check (the plan) first, then Push, with progress and cancel; the registry's CLI token when
 * there is no `cog login`.
 */
export function PushDialog({ version }: { version: Version }) {
  const s = usePush();
  const ref = useRef<HTMLDialogElement>(null);
  const pushedTo = s.links[version.id]?.[0]?.modelId ?? null;
  const [destination, setDestination] = useState(() => suggestDestination(version.modelId, { pushedTo }));
  const typed = useRef(false);
  const [visibility, setVisibility] = useState<Visibility>('private');
  const [hardware, setHardware] = useState('');
  // The plan's SKU fills the field; only a SKU typed in is asked for (else the plan's choice, with its reason).
  const [hardwareEdited, setHardwareEdited] = useState(false);

  useEffect(() => {
    ref.current?.showModal?.();
  }, []);
  // A model on the account behind the token, unless the user has typed one (or it went somewhere before).
  useEffect(() => {
    if (pushedTo) return;
    let live = true;
    api.getAccount().then(
      (a) => live && !typed.current && setDestination(suggestDestination(version.modelId, { account: a.data.username })),
      () => undefined, // no token or offline: the plan says so when it is checked
    );
    return () => {
      live = false;
    };
  }, [version.modelId, pushedTo]);
  useEffect(() => {
    if (s.plan && !s.plan.model.exists && !hardware) setHardware(s.plan.model.hardware.sku);
  }, [s.plan, hardware]);

  const request: PushRequest = { version: version.id, destination: destination.trim(), visibility, hardware: (hardwareEdited && hardware.trim()) || undefined };
  const t = s.task;
  const running = t?.state === 'running' || s.starting;
  // Push what was checked: a changed destination needs a new plan first.
  const checked = s.plan !== null && s.plan.destination.id === request.destination;
  const saveToken = async (token: string) => {
    await s.setToken(token);
    if (usePush.getState().plan && usePush.getState().login?.source) void s.check(request);
  };
  const p = t?.progress;
  return (
    <dialog ref={ref} className="push-dialog" aria-labelledby="push-title" onCancel={(e) => (running ? e.preventDefault() : s.close())}>
      <h2 id="push-title">Push to Replicate</h2>
      <p className="muted small mono">{version.imageRef}</p>
      {s.login && !s.login.source && <RegistryTokenForm registry={s.login.registry} onSave={(token) => void saveToken(token)} />}
      {s.loginError && <ErrorNotice error={s.loginError} title="Token not kept" />}
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
          <input id="push-destination" value={destination} onChange={(e) => ((typed.current = true), setDestination(e.target.value))} disabled={running} />
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
          <input
            id="push-hardware"
            value={hardware}
            placeholder="from the plan: this machine's SKU"
            onChange={(e) => {
              setHardware(e.target.value);
              setHardwareEdited(true);
            }}
            disabled={running}
          />
        </div>
        <div className="row">
          <button type="submit" disabled={running || s.planning || !destination.trim()}>
            Check
          </button>
          <button type="button" className="primary" disabled={!checked || running || t?.state === 'succeeded'} onClick={() => void s.push(request)}>
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
      {running && <ProgressBar label="Pushing" percent={p ? p.percent : null} text={p ? progressText(p) : 'Starting…'} />}
      {t?.state === 'succeeded' && t.result && (
        <p className="notice notice-ok" role="status" data-testid="push-done">
          Pushed as{' '}
          <code title={t.result.link.remoteVersionId}>
            {t.result.link.modelId}:{t.result.link.remoteVersionId.slice(0, 12)}
          </code>
          {t.result.createdModel ? ' (model created)' : ''}
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
