/**
 * The schema-to-form mapping, pure: a version's input fields (parsed by the engine's own parseVersionSchema)
 * become form fields with a widget each, in `x-order`; drafts (what the widgets hold while a person types)
 * turn into the input the engine gets, and back from an input (a default example, a past prediction).
 */
import type { FieldType, InputField, VersionSchema } from '../../../shared/schema';

export type Widget =
  | 'text' // one line
  | 'textarea' // prompts and other long text
  | 'secret' // masked
  | 'number' // a box (no range)
  | 'slider' // a slider with a box, when minimum and maximum are known
  | 'checkbox'
  | 'select' // choices
  | 'file' // format uri: pick or drop
  | 'files' // a list of files
  | 'list' // a list of strings or numbers
  | 'json'; // objects and anything else

export interface Choice {
  value: string | number;
  label: string;
}

export interface FormField {
  name: string;
  label: string;
  help?: string;
  widget: Widget;
  type: FieldType;
  /** The type of a list's items. */
  itemType?: FieldType;
  required: boolean;
  nullable: boolean;
  hasDefault: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  /** For number and slider widgets: 1 for integers, else a round step of about a hundredth of the range. */
  step?: number | 'any';
  minLength?: number;
  maxLength?: number;
  choices?: Choice[];
}

/** A file a person picked (sent as a data: URI), or one an earlier input referred to (a path or URL). */
export interface FileDraft {
  value: string;
  name: string;
  mime?: string;
  sizeBytes?: number;
}

/** What a widget holds: text for boxes (a half-typed number stays as typed), lists, files. */
export type Draft = string | boolean | string[] | FileDraft | FileDraft[] | null;
export type Drafts = Record<string, Draft>;

const SHORT_TEXT = /(^|_)(id|url|uri|key|name|seed|format|lang|language|model|version|voice|mode|extension|ext)$/i;

function widgetFor(f: InputField): Widget {
  if (f.isFile) return 'file';
  if (f.type === 'array') {
    if (f.items?.isFile) return 'files';
    if (f.items && ['string', 'integer', 'number'].includes(f.items.type)) return 'list';
    return 'json';
  }
  if (f.choices && f.choices.length > 0) return 'select';
  switch (f.type) {
    case 'string':
      if (f.isSecret) return 'secret';
      if (f.maxLength !== undefined && f.maxLength <= 80) return 'text';
      return SHORT_TEXT.test(f.name) ? 'text' : 'textarea';
    case 'integer':
    case 'number':
      return f.minimum !== undefined && f.maximum !== undefined ? 'slider' : 'number';
    case 'boolean':
      return 'checkbox';
    default:
      return 'json';
  }
}

/** A round step near a hundredth of the range: 0..2 -> 0.01, 1..20 -> 0.1. */
export function niceStep(minimum: number, maximum: number): number {
  const range = Math.abs(maximum - minimum);
  if (!(range > 0)) return 0.01;
  return 10 ** Math.floor(Math.log10(range / 100));
}

export function formField(f: InputField): FormField {
  const widget = widgetFor(f);
  const field: FormField = {
    name: f.name,
    label: f.name,
    widget,
    type: f.type,
    required: f.required,
    nullable: f.nullable,
    hasDefault: f.hasDefault,
  };
  if (f.description) field.help = f.description;
  if (f.hasDefault) field.default = f.default;
  if (f.minimum !== undefined) field.minimum = f.minimum;
  if (f.maximum !== undefined) field.maximum = f.maximum;
  if (f.minLength !== undefined) field.minLength = f.minLength;
  if (f.maxLength !== undefined) field.maxLength = f.maxLength;
  if (f.items) field.itemType = f.items.type;
  if (f.type === 'integer') field.step = 1;
  else if (f.type === 'number') field.step = f.minimum !== undefined && f.maximum !== undefined ? niceStep(f.minimum, f.maximum) : 'any';
  if (widget === 'select') field.choices = f.choices!.map((value) => ({ value, label: String(value) }));
  return field;
}

/** The form for a version: one field per input, in `x-order`. */
export function formFields(schema: VersionSchema): FormField[] {
  return schema.inputs.map(formField);
}

/** The file name to show for a file value: a path's last part, a URL's, or the MIME type of a data: URI. */
export function fileName(value: string): string {
  if (value.startsWith('data:')) {
    const mime = /^data:([^;,]*)/.exec(value)?.[1] || 'text/plain';
    return `uploaded ${mime}`;
  }
  const clean = value.split(/[?#]/)[0];
  return decodeURIComponent(clean.split(/[\\/]/).filter(Boolean).pop() ?? value);
}

function fileDraft(value: unknown): FileDraft | null {
  return typeof value === 'string' && value !== '' ? { value, name: fileName(value) } : null;
}

/** The empty draft of a field: what "not given" looks like in its widget. */
export function emptyDraft(field: FormField): Draft {
  switch (field.widget) {
    case 'checkbox':
      return false;
    case 'file':
      return null;
    case 'files':
    case 'list':
      return [];
    default:
      return '';
  }
}

/** A value of an input (a default, an example's, a past prediction's) as the field's widget holds it. */
export function draftFromValue(field: FormField, value: unknown): Draft {
  if (value === null || value === undefined) return emptyDraft(field);
  // A kept prediction holds a secret masked ("**********", as Replicate does): it must be typed again.
  if (field.widget === 'secret' && value === '**********') return emptyDraft(field);
  switch (field.widget) {
    case 'checkbox':
      return value === true;
    case 'file':
      return fileDraft(value);
    case 'files':
      return Array.isArray(value) ? value.map(fileDraft).filter((d): d is FileDraft => d !== null) : [];
    case 'list':
      return Array.isArray(value) ? value.map((v) => String(v)) : [String(value)];
    case 'json':
      return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    default:
      return String(value);
  }
}

/** The drafts a form starts with: `input`'s values where it has them, else the defaults, else empty. */
export function initialDrafts(fields: FormField[], input?: Record<string, unknown> | null): Drafts {
  const drafts: Drafts = {};
  for (const f of fields) {
    if (input && Object.hasOwn(input, f.name)) drafts[f.name] = draftFromValue(f, input[f.name]);
    else if (f.hasDefault) drafts[f.name] = draftFromValue(f, f.default);
    else drafts[f.name] = emptyDraft(f);
  }
  return drafts;
}

function scalar(text: string, type: FieldType | undefined): unknown {
  const t = text.trim();
  if (type === 'integer') return /^[+-]?\d+$/.test(t) ? Number(t) : text;
  if (type === 'number') return t !== '' && Number.isFinite(Number(t)) ? Number(t) : text;
  return text;
}

/**
 * One field's value for the engine; undefined leaves it out (the model's default applies, a required field
 * is reported missing). Text that does not parse as the field's type is sent as typed, so that the engine's
 * validation says what is wrong with it.
 */
export function valueFromDraft(field: FormField, draft: Draft): unknown {
  switch (field.widget) {
    case 'checkbox':
      return draft === true;
    case 'file':
      return draft && typeof draft === 'object' && !Array.isArray(draft) ? draft.value : undefined;
    case 'files': {
      const files = Array.isArray(draft) ? (draft as FileDraft[]).map((d) => d.value) : [];
      return files.length ? files : undefined;
    }
    case 'list': {
      const items = Array.isArray(draft) ? (draft as string[]).filter((s) => s.trim() !== '') : [];
      return items.length ? items.map((s) => scalar(s, field.itemType)) : undefined;
    }
    case 'select': {
      if (typeof draft !== 'string' || draft === '') return undefined;
      return field.choices?.find((c) => String(c.value) === draft)?.value ?? draft;
    }
    case 'json': {
      if (typeof draft !== 'string' || draft.trim() === '') return undefined;
      try {
        return JSON.parse(draft) as unknown;
      } catch {
        return draft;
      }
    }
    case 'number':
    case 'slider':
      return typeof draft === 'string' && draft.trim() !== '' ? scalar(draft, field.type) : undefined;
    default:
      return typeof draft === 'string' && draft !== '' ? draft : undefined;
  }
}

/** The input a form's drafts make. */
export function inputFromDrafts(fields: FormField[], drafts: Drafts): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of fields) {
    const v = valueFromDraft(f, drafts[f.name] ?? emptyDraft(f));
    if (v !== undefined) input[f.name] = v;
  }
  return input;
}

/** The input with picked files' bytes left out (a tiny data: URI instead), to check it as the user types. */
export function inputForValidation(fields: FormField[], input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  const small = (v: unknown) => (typeof v === 'string' && v.startsWith('data:') && v.length > 256 ? 'data:,' : v);
  for (const f of fields) {
    if (f.widget === 'file') out[f.name] = small(out[f.name]);
    else if (f.widget === 'files' && Array.isArray(out[f.name])) out[f.name] = (out[f.name] as unknown[]).map(small);
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Whether a value is the field's default (the CLI command leaves those out). */
export function isDefaultValue(field: FormField, value: unknown): boolean {
  return field.hasDefault && JSON.stringify(field.default) === JSON.stringify(value);
}

/** What a field says about itself under its name: its type, and its range or default. */
export function fieldSummary(field: FormField): string {
  const type =
    field.widget === 'file' ? 'file' : field.widget === 'files' ? 'files' : field.type === 'array' ? `list of ${field.itemType ?? 'values'}` : field.type;
  const parts = [type];
  if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${field.minimum} to ${field.maximum}`);
  else if (field.minimum !== undefined) parts.push(`at least ${field.minimum}`);
  else if (field.maximum !== undefined) parts.push(`at most ${field.maximum}`);
  if (field.hasDefault && field.default !== null && field.widget !== 'secret') parts.push(`default ${JSON.stringify(field.default)}`);
  if (!field.required) parts.push('optional');
  return parts.join(' · ');
}
