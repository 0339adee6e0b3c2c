import type { WidgetProps } from './WidgetProps';

/** Text: one line, or a textarea that grows with long prompts. Ctrl/Cmd+Enter runs the form. */
export function TextInput({ id, field, draft, onChange, onBlur, invalid, describedBy }: WidgetProps<string>) {
  const common = {
    id,
    name: field.name,
    value: draft,
    onBlur,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
    'aria-required': field.required,
    maxLength: field.maxLength,
    placeholder: field.hasDefault && field.default !== null ? String(field.default) : undefined,
  };
  if (field.widget === 'textarea') {
    const rows = Math.min(12, Math.max(3, draft.split('\n').length + Math.floor(draft.length / 70)));
    return <textarea {...common} rows={rows} onChange={(e) => onChange(e.target.value)} />;
  }
  return <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />;
}
