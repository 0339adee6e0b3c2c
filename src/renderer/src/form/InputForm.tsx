import type { FieldError } from '../../../shared/errors';
import { emptyDraft, type Draft, type Drafts, type FormField } from './fields';
import { FieldInput } from './FieldInput';
import { FieldRow } from './FieldRow';

/** The form generated from a version's input schema, in x-order. */
export function InputForm({
  fields,
  drafts,
  errorsFor,
  onChange,
  onBlur,
  sourcePredictionId,
}: {
  fields: FormField[];
  drafts: Drafts;
  errorsFor: (name: string) => FieldError[];
  onChange: (name: string, draft: Draft) => void;
  onBlur: (name: string) => void;
  sourcePredictionId: string | null;
}) {
  if (fields.length === 0) return <p className="muted">This model takes no input.</p>;
  return (
    <div className="input-form">
      {fields.map((field) => {
        const id = `field-${field.name}`;
        const errors = errorsFor(field.name);
        const describedBy = [field.help ? `${id}-help` : '', errors.length ? `${id}-errors` : ''].filter(Boolean).join(' ') || undefined;
        return (
          <FieldRow key={field.name} id={id} field={field} errors={errors}>
            <FieldInput
              id={id}
              field={field}
              draft={drafts[field.name] ?? emptyDraft(field)}
              onChange={(d) => onChange(field.name, d)}
              onBlur={() => onBlur(field.name)}
              invalid={errors.length > 0}
              describedBy={describedBy}
              sourcePredictionId={sourcePredictionId}
            />
          </FieldRow>
        );
      })}
    </div>
  );
}

/** Moves the focus to a field (the first thing in it that takes focus). */
export function focusField(name: string): void {
  const row = document.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const target = row?.querySelector<HTMLElement>('input:not([type=file]), textarea, select, button');
  target?.focus();
}
