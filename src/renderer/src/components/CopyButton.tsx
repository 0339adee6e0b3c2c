import { useState } from 'react';
import { copyText } from '../lib/clipboard';

/** Copies text (made when clicked, maybe read first) and says so for a moment, or why it could not. */
export function CopyButton({ text, label, title }: { text: () => string | Promise<string>; label: string; title?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const [why, setWhy] = useState('');
  return (
    <>
      <button
        type="button"
        title={title}
        onClick={() => {
          let failed = false;
          Promise.resolve()
            .then(text)
            .then(copyText)
            .then(() => setState('copied'))
            .catch((e: unknown) => {
              failed = true;
              setWhy(e instanceof Error ? e.message : String(e));
              setState('failed');
            })
            .finally(() => setTimeout(() => setState('idle'), failed ? 8000 : 2000));
        }}
      >
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
        <span className="visually-hidden" role="status">
          {state === 'copied' ? 'Copied to the clipboard' : ''}
        </span>
      </button>
      {state === 'failed' && why && (
        <span className="field-error small" role="alert">
          {why}
        </span>
      )}
    </>
  );
}
