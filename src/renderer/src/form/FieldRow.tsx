import type { ReactNode } from 'react';
import type { FieldError } from '../../../shared/errors';
import { fieldSummary, type FormField } from './fields';

/** One field of the form: its name, type and range, the input itself, its description as help, its errors. */
export function FieldRow({ id, field, errors, children }: { id: string; field: FormField; errors: FieldError[]; children: ReactNode }) {
  return (
    <div className={`field${errors.length ? ' field-invalid' : ''}`} data-field={field.name}>
      <label htmlFor={id} className="field-label">
        <span className="field-name">{field.name}</span>
        {field.required && (
          <span className="required" aria-label="required">
            *
          </span>
        )}
        <span className="field-type">{fieldSummary(field)}</span>
      </label>
      {children}
      {field.help && (
        <p id={`${id}-help`} className="help">
          {field.help}
        </p>
      )}
      {errors.length > 0 && (
        <ul id={`${id}-errors`} className="field-errors">
          {errors.map((e) => (
            <li key={e.message} className="field-error">
              {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
