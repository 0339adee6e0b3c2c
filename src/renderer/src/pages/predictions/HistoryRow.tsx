import type { Prediction } from '../../../../shared/domain';
import { CostCell } from '../../components/CostLine';
import { RanOn } from '../../components/RanOn';
import { StatusBadge } from '../../components/StatusBadge';
import { formatAgo, formatSeconds } from '../../lib/format';
import { useVersion } from '../../lib/useVersion';
import { useCompareSelection } from '../../state/compare';
import { useEngine } from '../../state/engine';
import { useNavigation } from '../../state/navigation';
import { HistoryThumbnail } from './HistoryThumbnail';
import { firstImageOutput } from './thumbnails';

/** The input in one line: files as "(file)", secrets masked (from the version's schema), cut short. */
function inputSummary(input: Record<string, unknown>, secrets: Set<string>): string {
  const text = Object.entries(input)
    .map(([k, v]) => {
      if (secrets.has(k)) return `${k}: ••••`;
      if (typeof v === 'string') return `${k}: ${v.startsWith('data:') ? '(file)' : v}`;
      return `${k}: ${JSON.stringify(v)}`;
    })
    .join(', ');
  return text.length > 90 ? `${text.slice(0, 88)}…` : text;
}

/** One prediction in the history; its id is the button that opens it. */
export function HistoryRow({ prediction: p }: { prediction: Prediction }) {
  const go = useNavigation((s) => s.go);
  const { schema, loaded } = useVersion(p.versionId);
  const open = () => go({ page: 'predictions', predictionId: p.id });
  // Until the schema says which fields are secret, show no input at all.
  const secrets = new Set(schema?.inputs.filter((f) => f.isSecret).map((f) => f.name) ?? []);
  const dataDir = useEngine((s) => s.status?.dataDir ?? '');
  const image = dataDir ? firstImageOutput(p.output, dataDir, p.id) : null;
  const { selected, toggle } = useCompareSelection();
  return (
    <tr data-prediction-id={p.id} onClick={open}>
      <td onClick={(e) => e.stopPropagation()}>
        <input type="checkbox" aria-label={`Select ${p.id.slice(0, 10)} to compare`} checked={selected.includes(p.id)} onChange={() => toggle(p.id)} />
      </td>
      <td className="thumb-cell">
        <HistoryThumbnail predictionId={p.id} path={image} />
      </td>
      <td>
        <button
          type="button"
          className="link mono"
          onClick={(e) => {
            e.stopPropagation();
            open();
          }}
        >
          {p.id.slice(0, 10)}
        </button>
      </td>
      <td>
        {p.modelId} <RanOn prediction={{ runOn: p.runOn, remote: null }} />
      </td>
      <td className="muted input-summary">{loaded ? inputSummary(p.input, secrets) : ''}</td>
      <td>
        <StatusBadge status={p.status} />
      </td>
      <td>{formatSeconds(p.metrics?.predict_time)}</td>
      <CostCell prediction={p} />
      <td title={new Date(p.createdAt).toLocaleString()}>{formatAgo(p.createdAt)}</td>
    </tr>
  );
}
