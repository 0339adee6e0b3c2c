import { useRef, useState } from 'react';
import { readFileDraft } from '../lib/files';
import type { FileDraft } from './fields';
import { FilePreview } from './FilePreview';
import type { WidgetProps } from './WidgetProps';

/** A list of files: pick or drop several; each shown with a remove button. */
export function FileListInput({ id, field, draft, onChange, invalid, describedBy, sourcePredictionId }: WidgetProps<FileDraft[]>) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    try {
      setReadError(null);
      onChange([...draft, ...(await Promise.all([...files].map(readFileDraft)))]);
    } catch (e) {
      setReadError((e as Error).message);
    }
  };
  return (
    <div
      className={`dropzone${over ? ' dropzone-over' : ''}${invalid ? ' dropzone-invalid' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void add(e.dataTransfer.files);
      }}
    >
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
        <button type="button" onClick={() => input.current?.click()} aria-describedby={describedBy}>
          Add files…
        </button>
        <span className="muted">or drop them here</span>
      </div>
      <input
        ref={input}
        id={id}
        name={field.name}
        type="file"
        multiple
        className="visually-hidden"
        tabIndex={-1}
        onChange={(e) => {
          void add(e.target.files);
          e.target.value = '';
        }}
      />
      {readError && <p className="field-error">{readError}</p>}
    </div>
  );
}
