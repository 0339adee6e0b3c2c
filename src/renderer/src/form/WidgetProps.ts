import type { Draft, FormField } from './fields';

/** What every input widget gets: its field, its draft, and where to say it changed. */
export interface WidgetProps<D extends Draft = Draft> {
  id: string;
  field: FormField;
  draft: D;
  onChange(draft: D): void;
  onBlur(): void;
  invalid: boolean;
  describedBy: string | undefined;
  /** The prediction a prefilled file came from (to show a file kept by path). */
  sourcePredictionId: string | null;
}
