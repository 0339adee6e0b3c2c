import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Settings } from '../../../../shared/domain';
import type { ErrorInfo, FieldError } from '../../../../shared/errors';
import type { Gpu } from '../../../../shared/hardware';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { errorInfo } from '../../lib/errors';
import { useCosts } from '../../state/costs';
import { useEngine } from '../../state/engine';
import { useNotifier } from '../../state/notifier';
import { ApiTokenSection } from './ApiTokenSection';
import { CliBackgroundServer } from './CliBackgroundServer';
import { GpuChoice } from './GpuChoice';
import { KeptWeightsSection } from './KeptWeightsSection';
import { NotificationsSection } from './NotificationsSection';
import { OpenDataFolder } from './OpenDataFolder';
import { PricesSection } from './PricesSection';
import { RouteToReplicate } from './RouteToReplicate';

type Editable = Settings;

function Row({ label, htmlFor, help, errors, children }: { label: string; htmlFor?: string; help?: string; errors: FieldError[]; children: ReactNode }) {
  return (
    <div className={`field${errors.length ? ' field-invalid' : ''}`}>
      <label htmlFor={htmlFor} className="field-label">
        {label}
      </label>
      {children}
      {help && <p className="help">{help}</p>}
      {errors.map((e) => (
        <p key={e.message} className="field-error">
          {e.message}
        </p>
      ))}
    </div>
  );
}

/**
 * Idle timeout, network mode, Docker host, GPUs, CPU fallback, the local API, kept weights, notifications, and
 * where the data lives.
 */
export function SettingsPage() {
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Editable | null>(null);
  const [gpus, setGpus] = useState<Gpu[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [message, setMessage] = useState('');
  const { status, refreshStatus } = useEngine();

  useEffect(() => {
    api.getSettings().then(
      (s) => {
        setSaved(s);
        setDraft(s);
      },
      (e) => setError(errorInfo(e)),
    );
    api.getHardware().then(
      (h) => setGpus(h.hardware.gpus),
      () => setGpus([]),
    );
    void refreshStatus();
    void useCosts.getState().load(true);
  }, [refreshStatus]);

  if (!draft || !saved) return error ? <ErrorNotice error={error} /> : <Loading text="Loading settings…" />;
  const set = <K extends keyof Editable>(key: K, value: Editable[K]) => {
    setDraft({ ...draft, [key]: value });
    setMessage('');
  };
  const errorsOf = (key: string) => error?.fields?.filter((f) => f.field === key) ?? [];
  const patch: Partial<Settings> = {};
  for (const key of Object.keys(draft) as Array<keyof Editable>) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(saved[key])) (patch as Record<string, unknown>)[key] = draft[key];
  }
  const dirty = Object.keys(patch).length > 0;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const next = await api.updateSettings(patch);
      setSaved(next);
      setDraft(next);
      useNotifier.getState().setEnabled(next.notifyWhenDone);
      setMessage(patch.apiServerEnabled !== undefined || patch.apiServerPort !== undefined ? 'Saved. The local API changes at the next start of Cogdesk.' : 'Saved.');
      if (patch.dockerHost !== undefined) void refreshStatus();
      if (patch.pricesFile !== undefined) void useCosts.getState().load(true);
    } catch (err) {
      setError(errorInfo(err));
    }
  };

  const seconds = (key: 'idleTimeoutSeconds' | 'predictionTimeoutSeconds', value: string) => set(key, value === '' ? (NaN as number) : Number(value));

  return (
    <>
      <PageHeader title="Settings" />
      <ApiTokenSection />
      <form className="settings" onSubmit={(e) => void save(e)} noValidate>
        <section className="panel" aria-labelledby="s-models">
          <h2 id="s-models">Running models</h2>
          <Row label="Idle timeout (seconds)" htmlFor="s-idle" help="How long a started model stays warm with nothing to do." errors={errorsOf('idleTimeoutSeconds')}>
            <input id="s-idle" type="number" min={1} value={Number.isNaN(draft.idleTimeoutSeconds) ? '' : draft.idleTimeoutSeconds} onChange={(e) => seconds('idleTimeoutSeconds', e.target.value)} />
          </Row>
          <Row label="Prediction timeout (seconds)" htmlFor="s-timeout" help="A prediction running longer is canceled and marked failed." errors={errorsOf('predictionTimeoutSeconds')}>
            <input id="s-timeout" type="number" min={1} value={Number.isNaN(draft.predictionTimeoutSeconds) ? '' : draft.predictionTimeoutSeconds} onChange={(e) => seconds('predictionTimeoutSeconds', e.target.value)} />
          </Row>
          <fieldset className="field">
            <legend className="field-label">Network mode</legend>
            <label className="check">
              <input type="radio" name="network" checked={!draft.hostNetwork} onChange={() => set('hostNetwork', false)} /> Bridge: each model on a port of 127.0.0.1 (recommended)
            </label>
            <label className="check">
              <input type="radio" name="network" checked={draft.hostNetwork} onChange={() => set('hostNetwork', true)} /> Host network (for engines where published ports do not work)
            </label>
          </fieldset>
          <GpuChoice gpus={gpus} value={draft.gpuDeviceIds} onChange={(ids) => set('gpuDeviceIds', ids)} />
          {errorsOf('gpuDeviceIds').map((e) => (
            <p key={e.message} className="field-error">
              {e.message}
            </p>
          ))}
          <label className="check">
            <input type="checkbox" checked={draft.allowCpuFallback} onChange={(e) => set('allowCpuFallback', e.target.checked)} /> Run GPU models on the CPU when Docker cannot give them a GPU (much slower; the prediction says so)
          </label>
          <Row
            label="Warm GPU models per GPU"
            htmlFor="s-gpu-cap"
            help="0: as many as fit in the GPU's memory. Starting one more stops the least recently used idle one on that GPU first; a model running a prediction is never stopped."
            errors={errorsOf('maxWarmGpuModelsPerGpu')}
          >
            <input
              id="s-gpu-cap"
              type="number"
              min={0}
              max={64}
              value={Number.isNaN(draft.maxWarmGpuModelsPerGpu) ? '' : draft.maxWarmGpuModelsPerGpu}
              onChange={(e) => set('maxWarmGpuModelsPerGpu', e.target.value === '' ? NaN : Number(e.target.value))}
            />
          </Row>
        </section>

        <section className="panel" aria-labelledby="s-docker">
          <h2 id="s-docker">Docker</h2>
          <Row label="Docker host" htmlFor="s-host" help="Empty for DOCKER_HOST or the default socket; e.g. unix:///var/run/docker.sock or tcp://127.0.0.1:2375." errors={errorsOf('dockerHost')}>
            <input id="s-host" className="mono" value={draft.dockerHost} placeholder="(default)" onChange={(e) => set('dockerHost', e.target.value)} />
          </Row>
          <p className="small" role="status">
            {status ? (status.docker.ok ? `Connected: Docker ${status.docker.version} (API ${status.docker.apiVersion})` : `${status.docker.message}. ${status.docker.hint ?? ''}`) : 'Checking Docker…'}
          </p>
        </section>

        <section className="panel" aria-labelledby="s-api">
          <h2 id="s-api">Local API</h2>
          <label className="check">
            <input type="checkbox" checked={draft.apiServerEnabled} onChange={(e) => set('apiServerEnabled', e.target.checked)} /> Serve Replicate's prediction API on 127.0.0.1 while Cogdesk is open
          </label>
          <Row label="Port" htmlFor="s-port" help="Takes effect at the next start of Cogdesk." errors={errorsOf('apiServerPort')}>
            <input id="s-port" type="number" min={1024} max={65535} value={Number.isNaN(draft.apiServerPort) ? '' : draft.apiServerPort} onChange={(e) => set('apiServerPort', e.target.value === '' ? NaN : Number(e.target.value))} disabled={!draft.apiServerEnabled} />
          </Row>
          <RouteToReplicate checked={draft.routeToReplicate} onChange={(on) => set('routeToReplicate', on)} />
          <CliBackgroundServer checked={draft.cliBackgroundServer} idleSeconds={draft.idleTimeoutSeconds} onChange={(on) => set('cliBackgroundServer', on)} />
        </section>

        <KeptWeightsSection checked={draft.keepWeights} onChange={(on) => set('keepWeights', on)} />

        <NotificationsSection checked={draft.notifyWhenDone} onChange={(on) => set('notifyWhenDone', on)} />

        <PricesSection value={draft.pricesFile} onChange={(path) => set('pricesFile', path)} errors={errorsOf('pricesFile')} />

        <section className="panel" aria-labelledby="s-data">
          <h2 id="s-data">Data folder</h2>
          <p className="mono" data-testid="data-dir">
            {status?.dataDir ?? '…'}
          </p>
          <p className="muted small">The database, output files and uploaded inputs. Set COGDESK_HOME before starting Cogdesk to use another folder.</p>
          <OpenDataFolder />
        </section>

        {error && <ErrorNotice error={error} />}
        <div className="run-bar">
          <button type="submit" className="primary" disabled={!dirty}>
            Save
          </button>
          <button type="button" disabled={!dirty} onClick={() => (setDraft(saved), setError(null))}>
            Discard changes
          </button>
          <span role="status" className="muted">
            {message}
          </span>
        </div>
      </form>
    </>
  );
}
