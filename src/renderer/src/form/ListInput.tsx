import type { WidgetProps } from './WidgetProps';

/** A list of strings or numbers: one box per item, with add and remove. */
export function ListInput({ id, field, draft, onChange, onBlur, invalid, describedBy }: WidgetProps<string[]>) {
  const numeric = field.itemType === 'integer' || field.itemType === 'number';
  return (
    <div className="list-input" id={id} role="group" aria-describedby={describedBy} aria-invalid={invalid}>
      {draft.map((item, i) => (
        <div className="row" key={i}>
          <input
            type={numeric ? 'number' : 'text'}
            aria-label={`${field.name} item ${i + 1}`}
            value={item}
            onChange={(e) => onChange(draft.map((x, j) => (j === i ? e.target.value : x)))}
            onBlur={onBlur}
          />
          <button type="button" aria-label={`Remove ${field.name} item ${i + 1}`} onClick={() => onChange(draft.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...draft, ''])}>
        Add {draft.length ? 'another' : 'an'} item
      </button>
    </div>
  );
}
