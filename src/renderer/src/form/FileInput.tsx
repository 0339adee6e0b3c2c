import { useState } from 'react';
import { readFileDraft } from '../lib/files';
import { DropZone } from './DropZone';
import type { FileDraft } from './fields';
import { FilePreview } from './FilePreview';
import type { WidgetProps } from './WidgetProps';

/**
 * A file (format uri): pick it, drop it, or give a URL. Picked files go to the engine as data: URIs (the
 * renderer never reads local paths); the engine stores them as files.
 */
export function FileInput({
  id,
  field,
  draft,
  onChange,
  onBlur,
  invalid,
  describedBy,
  sourcePredictionId,
}: WidgetProps<FileDraft | null>) {
  const [url, setUrl] = useState('');
  const takeUrl = () => {
    if (!url.trim()) return false;
    onChange({ value: url.trim(), name: url.trim() });
    setUrl('');
    return true;
  };

  return (
    <DropZone id={id} name={field.name} invalid={invalid} describedBy={describedBy} onFiles={async ([file]) => onChange(await readFileDraft(file!))}>
      {(pick) =>
        draft ? (
          <>
            <FilePreview file={draft} sourcePredictionId={sourcePredictionId} />
            <div className="row">
              <button type="button" onClick={pick}>
                Replace…
              </button>
              <button type="button" onClick={() => onChange(null)}>
                Remove
              </button>
            </div>
          </>
        ) : (
          <div className="row">
            <button type="button" onClick={pick} aria-describedby={describedBy}>
              Choose a file…
            </button>
            <span className="muted">or drop one here, or</span>
            <input
              type="url"
              aria-label={`${field.name} URL`}
              placeholder="https://…"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && takeUrl()) e.preventDefault();
              }}
              onBlur={() => {
                takeUrl();
                onBlur();
              }}
            />
          </div>
        )
      }
    </DropZone>
  );
}
