import { useState } from 'react';
import { copyText } from '../lib/clipboard';

/** Copies text and says so for a moment (or why it could not). */
export function CopyButton({ text, label }: { text: () => string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      onClick={() => {
        copyText(text())
          .then(() => setState('copied'))
          .catch(() => setState('failed'))
          .finally(() => setTimeout(() => setState('idle'), 2000));
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
    </button>
  );
}
