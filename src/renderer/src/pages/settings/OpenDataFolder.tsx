import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import { api } from '../../api';
import { ErrorNotice } from '../../components/ErrorNotice';
import { errorInfo } from '../../lib/errors';

/** Opens the data folder in the system's file manager; where none can be asked, says so. */
export function OpenDataFolder() {
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const open = async () => {
    setError(null);
    setNote(null);
    try {
      const r = await api.showDataFolder();
      if (!r.shown) setNote(`No file manager could be asked to open it: open ${r.path} yourself.`);
    } catch (e) {
      setError(errorInfo(e));
    }
  };
  return (
    <>
      <button type="button" onClick={() => void open()}>
        Open the data folder
      </button>
      {note && (
        <p className="muted small" data-testid="data-folder-note">
          {note}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </>
  );
}
