import type { WidgetProps } from './WidgetProps';

/** A boolean: a checkbox labelled by the field's name. */
export function BooleanInput({ id, field, draft, onChange, onBlur, describedBy }: WidgetProps<boolean>) {
  return (
    <input
      id={id}
      name={field.name}
      type="checkbox"
      className="checkbox"
      checked={draft}
      onChange={(e) => onChange(e.target.checked)}
      onBlur={onBlur}
      aria-describedby={describedBy}
    />
  );
}
