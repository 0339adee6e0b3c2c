import { useState } from 'react';
import type { WidgetProps } from './WidgetProps';

/** A secret (Cog's Secret, format password): masked unless shown, never autocompleted. */
export function SecretInput({ id, field, draft, onChange, onBlur, invalid, describedBy }: WidgetProps<string>) {
  const [shown, setShown] = useState(false);
  return (
    <div className="row">
      <input
        id={id}
        name={field.name}
        type={shown ? 'text' : 'password'}
        autoComplete="off"
        spellCheck={false}
        value={draft}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        aria-required={field.required}
      />
      <button type="button" aria-pressed={shown} aria-label={`Show ${field.name}`} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}
