import { readFileDraft } from '../lib/files';
import { DropZone } from './DropZone';
import type { FileDraft } from './fields';
import { FilePreview } from './FilePreview';
import type { WidgetProps } from './WidgetProps';

/** A list of files: pick or drop several; each shown with a remove button. */
export function FileListInput({ id, field, draft, onChange, invalid, describedBy, sourcePredictionId }: WidgetProps<FileDraft[]>) {
  return (
    <DropZone
      id={id}
      name={field.name}
      multiple
      invalid={invalid}
      describedBy={describedBy}
      onFiles={async (files) => onChange([...draft, ...(await Promise.all(files.map(readFileDraft)))])}
    >
      {(pick) => (
        <>
          <ul className="file-list">
            {draft.map((f, i) => (
              <li key={`${i}-${f.name}`}>
                <FilePreview file={f} sourcePredictionId={sourcePredictionId} />
                <button type="button" aria-label={`Remove ${f.name}`} onClick={() => onChange(draft.filter((_, j) => j !== i))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <div className="row">
            <button type="button" onClick={pick} aria-describedby={describedBy}>
              Add files…
            </button>
            <span className="muted">or drop them here</span>
          </div>
        </>
      )}
    </DropZone>
  );
}
