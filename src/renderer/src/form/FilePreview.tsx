import { formatBytes } from '../lib/format';
import { isLocalPath } from '../lib/outputs';
import { FileView } from '../output/FileView';
import { MediaPreview } from '../output/MediaPreview';
import { useEngine } from '../state/engine';
import type { FileDraft } from './fields';

const norm = (s: string) => s.replace(/\\/g, '/');

/**
 * A file value in the form or an input: picked bytes shown at once; a file the engine kept under the data
 * folder read through its prediction; any other path (given to the CLI) and URLs as text.
 */
export function FilePreview({ file, sourcePredictionId }: { file: FileDraft; sourcePredictionId: string | null }) {
  const dataDir = useEngine((s) => s.status?.dataDir ?? null);
  if (file.value.startsWith('data:')) {
    const mime = file.mime ?? /^data:([^;,]*)/.exec(file.value)?.[1] ?? '';
    return (
      <figure className="file-view">
        <MediaPreview src={file.value} mime={mime} name={file.name} />
        <figcaption>
          <span className="mono">{file.name}</span> {file.sizeBytes !== undefined && <small>{formatBytes(file.sizeBytes)}</small>}
        </figcaption>
      </figure>
    );
  }
  const kept = isLocalPath(file.value) && dataDir && norm(file.value).startsWith(`${norm(dataDir)}/inputs/`);
  if (kept && sourcePredictionId) return <FileView predictionId={sourcePredictionId} path={file.value} />;
  return <p className="mono file-url">{file.value}</p>;
}
