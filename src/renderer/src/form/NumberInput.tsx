import type { WidgetProps } from './WidgetProps';

/** An integer or number: a box; with a slider beside it when the field has a minimum and a maximum. */
export function NumberInput({ id, field, draft, onChange, onBlur, invalid, describedBy }: WidgetProps<string>) {
  const box = (
    <input
      id={id}
      name={field.name}
      type="number"
      inputMode={field.type === 'integer' ? 'numeric' : 'decimal'}
      className="number-box"
      step={field.step}
      min={field.minimum}
      max={field.maximum}
      value={draft}
      placeholder={field.nullable && !field.hasDefault ? 'empty' : undefined}
      onChange={(e) => onChange(e.target.value)}
      onBlur={onBlur}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      aria-required={field.required}
    />
  );
  if (field.widget !== 'slider') return box;
  const n = Number(draft);
  const sliderValue = draft.trim() !== '' && Number.isFinite(n) ? Math.min(field.maximum!, Math.max(field.minimum!, n)) : field.minimum!;
  return (
    <div className="row slider-row">
      <input
        type="range"
        aria-label={`${field.name} slider`}
        min={field.minimum}
        max={field.maximum}
        step={field.step}
        value={sliderValue}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
        className={draft.trim() === '' ? 'slider-unset' : undefined}
      />
      {box}
    </div>
  );
}
