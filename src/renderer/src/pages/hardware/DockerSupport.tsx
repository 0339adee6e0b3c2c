import type { DockerGpuSupport } from '../../../../shared/hardware';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Linkified } from '../../components/Linkified';

const GPU_WORDS: Record<DockerGpuSupport['gpus'], string> = {
  yes: 'Yes: a container saw a GPU',
  likely: 'Likely: the NVIDIA runtime is configured',
  unknown: 'Unknown until a container is started with a GPU (check below)',
  no: 'No',
};

/** Docker's state and whether it can hand GPUs to containers. */
export function DockerSupport({ docker }: { docker: DockerGpuSupport }) {
  return (
    <section className="panel" aria-labelledby="docker">
      <h2 id="docker">Docker</h2>
      {!docker.reachable && docker.error ? (
        <ErrorNotice error={docker.error} />
      ) : (
        <dl className="stats">
          <div>
            <dt>Engine</dt>
            <dd>
              {docker.serverVersion ?? '—'}
              {docker.dockerDesktop ? ' (Docker Desktop)' : docker.podman ? ' (Podman)' : ''}
            </dd>
          </div>
          <div>
            <dt>GPUs in containers</dt>
            <dd data-testid="docker-gpus">{GPU_WORDS[docker.gpus]}</dd>
          </div>
          <div>
            <dt>How GPUs are asked for</dt>
            <dd>{docker.method === 'cdi' ? 'CDI' : 'NVIDIA device driver'}</dd>
          </div>
          <div>
            <dt>Runtimes</dt>
            <dd>{docker.runtimes.join(', ') || '—'}</dd>
          </div>
        </dl>
      )}
      {docker.missing && (
        <div className="notice">
          <p className="notice-message">{docker.missing}</p>
          {docker.hint && (
            <p className="notice-hint">
              <Linkified text={docker.hint} />
            </p>
          )}
        </div>
      )}
      {docker.probe && (
        <div className={`notice${docker.probe.ok ? '' : ' notice-error'}`}>
          <p className="notice-message">
            Check in {docker.probe.image}: {docker.probe.ok ? `a GPU is visible (${docker.probe.check?.via})` : 'no GPU visible'}
          </p>
          {docker.probe.check?.devices.map((d) => (
            <p key={d} className="mono small">
              {d}
            </p>
          ))}
          {docker.probe.error && <ErrorNotice error={docker.probe.error} />}
        </div>
      )}
    </section>
  );
}
