import { useRef, useState, type DragEvent } from 'react';
import { readFileDraft } from '../lib/files';
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
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const [url, setUrl] = useState('');

  const take = async (files: FileList | null) => {
    const file = files?.[0];
    if (!file) return;
    try {
      setReadError(null);
      onChange(await readFileDraft(file));
    } catch (e) {
      setReadError((e as Error).message);
    }
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files);
  };

  return (
    <div
      className={`dropzone${over ? ' dropzone-over' : ''}${invalid ? ' dropzone-invalid' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {draft ? (
        <>
          <FilePreview file={draft} sourcePredictionId={sourcePredictionId} />
          <div className="row">
            <button type="button" onClick={() => input.current?.click()}>
              Replace…
            </button>
            <button type="button" onClick={() => onChange(null)}>
              Remove
            </button>
          </div>
        </>
      ) : (
        <div className="row">
          <button type="button" onClick={() => input.current?.click()} aria-describedby={describedBy}>
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
              if (e.key === 'Enter' && url.trim()) {
                e.preventDefault();
                onChange({ value: url.trim(), name: url.trim() });
                setUrl('');
              }
            }}
            onBlur={() => {
              if (url.trim()) {
                onChange({ value: url.trim(), name: url.trim() });
                setUrl('');
              }
              onBlur();
            }}
          />
        </div>
      )}
      <input
        ref={input}
        id={id}
        name={field.name}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(e) => {
          void take(e.target.files);
          e.target.value = '';
        }}
      />
      {readError && <p className="field-error">{readError}</p>}
    </div>
  );
}
