import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { HardwareOverview } from '../../../../shared/hardware';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { errorInfo } from '../../lib/errors';
import { useLibrary } from '../../state/library';
import { DockerSupport } from './DockerSupport';
import { GpuList } from './GpuList';
import { GpuLiveUse } from './GpuLiveUse';
import { MissingList } from './MissingList';
import { SkuMatchView } from './SkuMatchView';

/** The GPUs, the matching SKU, Docker's state and GPU support, and the fix for what is missing. */
export function HardwarePage() {
  const [overview, setOverview] = useState<HardwareOverview | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [probeImage, setProbeImage] = useState('');
  const { models, versions, loaded, refresh } = useLibrary();
  const images = models.flatMap((m) => (versions[m.id] ?? []).map((v) => v.imageRef));

  const detect = useCallback(async (probe?: string) => {
    setBusy(probe ? `Starting ${probe} with a GPU to look inside…` : 'Detecting GPUs and asking Docker…');
    setError(null);
    try {
      setOverview(await api.getHardware(probe ? { probeImage: probe } : undefined));
    } catch (e) {
      setError(errorInfo(e));
    } finally {
      setBusy(null);
    }
  }, []);
  useEffect(() => {
    void detect();
    if (!loaded) void refresh();
  }, [detect, loaded, refresh]);

  return (
    <>
      <PageHeader title="Hardware">
        <button type="button" onClick={() => void detect()} disabled={!!busy}>
          Detect again
        </button>
      </PageHeader>
      {busy && <Loading text={busy} />}
      {error && <ErrorNotice error={error} />}
      {overview && (
        <>
          <MissingList missing={overview.missing} />
          <GpuList hardware={overview.hardware} />
          {overview.hardware.gpus.length > 0 && <GpuLiveUse />}
          <SkuMatchView match={overview.match} />
          <DockerSupport docker={overview.docker} />
          <section className="panel" aria-labelledby="probe">
            <h2 id="probe">Check GPU access in a container</h2>
            <p className="muted small">Starts a local image with a GPU request and looks for the GPU from inside it.</p>
            <div className="row">
              <select aria-label="Image to check with" value={probeImage} onChange={(e) => setProbeImage(e.target.value)}>
                <option value="">Choose a local image…</option>
                {images.map((i) => (
                  <option key={i} value={i}>
                    {i}
                  </option>
                ))}
              </select>
              <button type="button" disabled={!probeImage || !!busy} onClick={() => void detect(probeImage)}>
                Check
              </button>
            </div>
          </section>
        </>
      )}
    </>
  );
}
