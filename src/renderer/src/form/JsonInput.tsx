import type { WidgetProps } from './WidgetProps';

/** Objects and anything the schema does not describe further: JSON text, checked by the engine. */
export function JsonInput({ id, field, draft, onChange, onBlur, invalid, describedBy }: WidgetProps<string>) {
  return (
    <textarea
      id={id}
      name={field.name}
      className="mono"
      rows={Math.min(12, Math.max(3, draft.split('\n').length))}
      spellCheck={false}
      placeholder="JSON"
      value={draft}
      onChange={(e) => onChange(e.target.value)}
      onBlur={onBlur}
      aria-invalid={invalid}
      aria-describedby={describedBy}
    />
  );
}
