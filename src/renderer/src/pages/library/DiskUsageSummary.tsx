import type { DiskUsage } from '../../../../shared/domain';
import { formatBytes } from '../../lib/format';

/** What Cogdesk takes on disk, by kind (kept weights are images on top of the versions' images). */
export function DiskUsageSummary({ disk, keptBytes }: { disk: DiskUsage; keptBytes: number }) {
  return (
    <dl className="stats" aria-label="Disk use">
      <div>
        <dt>Images</dt>
        <dd>{formatBytes(disk.imagesBytes)}</dd>
      </div>
      <div>
        <dt>Kept weights</dt>
        <dd data-testid="kept-weights-total">{formatBytes(keptBytes)}</dd>
      </div>
      <div>
        <dt>Outputs</dt>
        <dd>{formatBytes(disk.outputsBytes)}</dd>
      </div>
      <div>
        <dt>Uploaded inputs</dt>
        <dd>{formatBytes(disk.inputsBytes)}</dd>
      </div>
      <div>
        <dt>Database</dt>
        <dd>{formatBytes(disk.databaseBytes)}</dd>
      </div>
    </dl>
  );
}
