import { isOutputPath } from '../lib/outputs';
import { FileView } from './FileView';

/** Any output value: files shown as files (anywhere inside), text as text, lists and objects laid out. */
export function ValueView({ value, predictionId, dataDir }: { value: unknown; predictionId: string; dataDir: string }) {
  if (isOutputPath(value, dataDir, predictionId)) return <FileView predictionId={predictionId} path={value} />;
  if (typeof value === 'string') return <pre className="output-text">{value}</pre>;
  if (value === null || typeof value !== 'object') return <pre className="output-text mono">{JSON.stringify(value)}</pre>;
  if (Array.isArray(value)) {
    return (
      <ol className="output-list">
        {value.map((v, i) => (
          <li key={i}>
            <ValueView value={v} predictionId={predictionId} dataDir={dataDir} />
          </li>
        ))}
      </ol>
    );
  }
  return (
    <dl className="output-object">
      {Object.entries(value).map(([k, v]) => (
        <div key={k}>
          <dt className="mono">{k}</dt>
          <dd>
            <ValueView value={v} predictionId={predictionId} dataDir={dataDir} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
