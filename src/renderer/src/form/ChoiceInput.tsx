import type { WidgetProps } from './WidgetProps';

/** Choices (Cog's `choices`, an enum behind allOf/$ref): a select; "not set" when the field may be left out. */
export function ChoiceInput({ id, field, draft, onChange, onBlur, invalid, describedBy }: WidgetProps<string>) {
  const mayBeEmpty = !field.required || field.nullable;
  return (
    <select
      id={id}
      name={field.name}
      value={draft}
      onChange={(e) => onChange(e.target.value)}
      onBlur={onBlur}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      aria-required={field.required}
    >
      {(mayBeEmpty || draft === '') && <option value="">{field.hasDefault ? `(default${field.default !== null ? `: ${String(field.default)}` : ''})` : '(not set)'}</option>}
      {field.choices?.map((c) => (
        <option key={String(c.value)} value={String(c.value)}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
