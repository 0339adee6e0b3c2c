import { useEngine } from '../state/engine';
import { Linkified } from './Linkified';

/** Shown on every page while Docker cannot be reached: what is wrong and what to do. */
export function DockerBanner() {
  const { status, refreshStatus } = useEngine();
  if (!status || status.docker.ok) return null;
  return (
    <div className="banner" role="alert">
      <p>
        <strong>{status.docker.message}.</strong> <Linkified text={status.docker.hint ?? ''} />
      </p>
      <button type="button" onClick={() => void refreshStatus()}>
        Check again
      </button>
    </div>
  );
}
