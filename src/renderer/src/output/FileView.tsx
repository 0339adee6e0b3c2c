import { formatBytes } from '../lib/format';
import { Loading } from '../components/Loading';
import { MediaPreview } from './MediaPreview';
import { ShowInFolder } from './ShowInFolder';
import { usePredictionFile } from './usePredictionFile';
import { InlineProblem } from '../components/InlineProblem';

/** One file of a prediction: its preview, name, size, a Save link and Show in folder. */
export function FileView({ predictionId, path }: { predictionId: string; path: string }) {
  const { file, error } = usePredictionFile(predictionId, path);
  const name = path.split(/[\\/]/).pop() ?? path;
  return (
    <figure className="file-view" data-path={path}>
      {file ? <MediaPreview src={file.dataUri} mime={file.mime} name={file.name} /> : !error && <Loading text={`Loading ${name}…`} />}
      <figcaption>
        <span className="mono" title={path}>
          {name}
        </span>
        {file && (
          <>
            {' '}
            <small>
              {file.mime} · {formatBytes(file.sizeBytes)}
            </small>{' '}
            <a href={file.dataUri} download={file.name}>
              Save
            </a>{' '}
          </>
        )}
        {error && <InlineProblem error={error} />}
        {(file || error?.code === 'bad_request') && <ShowInFolder predictionId={predictionId} path={path} />}
      </figcaption>
    </figure>
  );
}
