import type { DiskUsage, EngineStatus, Model, Version } from '../../../../shared/domain';
import { formatBytes } from '../../lib/format';
import { useNavigation } from '../../state/navigation';
import { VersionRow } from './VersionRow';

/** A local model with its versions. */
export function ModelCard({ model, versions, status, disk }: { model: Model; versions: Version[]; status: EngineStatus | null; disk: DiskUsage | null }) {
  const use = disk?.models.find((m) => m.modelId === model.id);
  const go = useNavigation((s) => s.go);
  return (
    <section className="panel model-card" aria-labelledby={`model-${model.id}`} data-model-id={model.id}>
      <div className="section-head">
        <h2 id={`model-${model.id}`}>
          <button type="button" className="link model-name" title={`Open ${model.id}'s page`} onClick={() => go({ page: 'local-model', modelId: model.id })}>
            {model.id}
          </button>
        </h2>
        <p className="muted small">
          {model.versionCount} version(s)
          {use && ` · images ${formatBytes(use.imagesBytes)} · outputs ${formatBytes(use.outputsBytes)} · ${use.predictions} prediction(s)`}
        </p>
      </div>
      <table>
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
    </section>
  );
}
