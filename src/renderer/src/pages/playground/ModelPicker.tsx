import { useEffect } from 'react';
import { formatBytes, shortId } from '../../lib/format';
import { useLibrary } from '../../state/library';
import { useNavigation } from '../../state/navigation';

/** Which model and version the form is for. */
export function ModelPicker({ modelId, versionId }: { modelId: string | null; versionId: string | null }) {
  const { models, versions, loadVersions } = useLibrary();
  const go = useNavigation((s) => s.go);
  const list = modelId ? (versions[modelId] ?? []) : [];
  useEffect(() => {
    if (modelId) void loadVersions(modelId);
  }, [modelId, loadVersions]);
  return (
    <div className="row model-picker">
      <label htmlFor="pick-model">Model</label>
      <select id="pick-model" value={modelId ?? ''} onChange={(e) => go({ page: 'playground', modelId: e.target.value })}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id}
          </option>
        ))}
      </select>
      <label htmlFor="pick-version">Version</label>
      <select id="pick-version" value={versionId ?? ''} onChange={(e) => go({ page: 'playground', modelId: modelId ?? undefined, versionId: e.target.value })}>
        {list.map((v, i) => (
          <option key={v.id} value={v.id}>
            {shortId(v.id)} {i === 0 ? '(latest)' : ''} · {formatBytes(v.sizeBytes)}
          </option>
        ))}
      </select>
    </div>
  );
}
