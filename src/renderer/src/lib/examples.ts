/**
 * An example as a card shows it, pure: its input field by field as the form would show it (in the form's
 * order, each value as its widget holds it, with the field's summary), and a Replicate example's output as
 * what it is: media from public https hosts, text (tokens joined), or a short JSON line.
 */
import { fieldSummary, fileName, isDefaultValue, type FormField, type Widget } from '../form/fields';
import { briefValue } from './format';
import { isSafeImageSource } from './markdown';
import { mediaKind, type MediaKind } from './outputs';

export interface ShownInput {
  name: string;
  /** The form's summary of the field ("integer · 1 to 10 · default 2"), null for a key the schema lacks. */
  summary: string | null;
  widget: Widget | null;
  /** The value as its widget shows it (files: their names). */
  text: string;
  /** File values (paths, URLs, data: URIs), for a preview. */
  files: string[];
}

export interface ExampleInput {
  /** Values that differ from the field's default, in the form's order; keys the schema lacks last. */
  given: ShownInput[];
  /** How many values equal the field's default (not shown one by one). */
  atDefault: number;
}

const MASK = '••••••••';

function textFor(field: FormField | undefined, value: unknown): { text: string; files: string[] } {
  const widget = field?.widget;
  if (widget === 'secret') return { text: MASK, files: [] };
  if (widget === 'file' || widget === 'files') {
    const files = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
    return { text: files.map(fileName).join(', '), files };
  }
  if (widget === 'checkbox') return { text: value === true ? 'yes' : 'no', files: [] };
  if (widget === 'list' && Array.isArray(value)) return { text: value.map(String).join(', '), files: [] };
  if (typeof value === 'string') return { text: value, files: [] };
  return { text: briefValue(value), files: [] };
}

/** The input of an example field by field, as the form (built from the version's schema) would show it. */
export function exampleInput(fields: FormField[] | null, input: Record<string, unknown>): ExampleInput {
  const given: ShownInput[] = [];
  let atDefault = 0;
  const known = new Set<string>();
  for (const f of fields ?? []) {
    known.add(f.name);
    if (!Object.hasOwn(input, f.name)) continue;
    const value = input[f.name];
    if (isDefaultValue(f, value)) {
      atDefault++;
      continue;
    }
    given.push({ name: f.label, summary: fieldSummary(f), widget: f.widget, ...textFor(f, value) });
  }
  for (const [name, value] of Object.entries(input)) {
    if (!known.has(name)) given.push({ name, summary: null, widget: null, ...textFor(undefined, value) });
  }
  return { given, atDefault };
}

export interface RemoteMedia {
  url: string;
  kind: MediaKind;
}

export type RemoteOutput = { kind: 'media'; media: RemoteMedia[] } | { kind: 'text'; text: string } | { kind: 'json'; text: string } | { kind: 'none' };

/** An https URL of a public host (the window shows nothing from this machine or the local network). */
export function isPublicHttps(value: unknown): value is string {
  return typeof value === 'string' && /^https:\/\//i.test(value) && isSafeImageSource(value);
}

function urlKind(url: string): MediaKind {
  return mediaKind(new URL(url).pathname);
}

/**
 * A Replicate example's output as a card shows it: files (https URLs of public hosts, in a list or an
 * object's values) as media, strings and string tokens as text, anything else as one line of JSON.
 */
export function remoteOutput(output: unknown): RemoteOutput {
  if (output === null || output === undefined || (Array.isArray(output) && output.length === 0)) return { kind: 'none' };
  const values = Array.isArray(output) ? output : typeof output === 'object' ? Object.values(output as object) : [output];
  const urls = values.filter(isPublicHttps);
  if (urls.length > 0 && urls.length === values.length) return { kind: 'media', media: urls.map((url) => ({ url, kind: urlKind(url) })) };
  if (typeof output === 'string') return { kind: 'text', text: output };
  if (Array.isArray(output) && output.every((v) => typeof v === 'string')) return { kind: 'text', text: output.join('') };
  return { kind: 'json', text: briefValue(output) };
}
