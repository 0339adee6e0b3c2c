import { useRef, useState, type ReactNode } from 'react';

/**
 * Where files come in (the file and file-list widgets): dropped on it, or picked through its hidden file
 * input (`pick()` opens the chooser). A file that cannot be read is said under it.
 */
export function DropZone({
  id,
  name,
  multiple = false,
  invalid,
  describedBy,
  onFiles,
  children,
}: {
  id: string;
  name: string;
  multiple?: boolean;
  invalid: boolean;
  describedBy?: string;
  onFiles: (files: File[]) => Promise<void>;
  children: (pick: () => void) => ReactNode;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [readError, setReadError] = useState<string | null>(null);
  const take = async (list: FileList | null) => {
    const files = [...(list ?? [])];
    if (files.length === 0) return;
    try {
      setReadError(null);
      await onFiles(multiple ? files : files.slice(0, 1));
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
        void take(e.dataTransfer.files);
      }}
    >
      {children(() => input.current?.click())}
      <input
        ref={input}
        id={id}
        name={name}
        type="file"
        multiple={multiple}
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
