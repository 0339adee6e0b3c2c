/**
 * "Copy as CLI command": the `cogdesk run IMAGE -i key=value ...` that runs the same input from a terminal,
 * quoted for a POSIX shell. Defaults are left out; secrets become a shell variable; picked files become
 * `@name` (the file must be next to the command), files from earlier runs their path.
 */
import { isDefaultValue, type FileDraft, type FormField } from '../form/fields';

/** Quotes a word for sh/bash/zsh when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The shell variable a secret input is read from: its name in capitals (`api_key` is `API_KEY`). */
export function envName(field: string): string {
  return field.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

function fileArg(value: string, picked: FileDraft | undefined): string {
  if (picked && value.startsWith('data:')) return `@${picked.name}`;
  if (/^(https?:|data:)/i.test(value)) return value;
  return `@${value}`;
}

export function cliCommand(
  image: string,
  fields: FormField[],
  input: Record<string, unknown>,
  picked: Record<string, FileDraft | FileDraft[] | undefined> = {},
): string {
  const args: string[] = ['cogdesk', 'run', shellQuote(image)];
  const add = (key: string, value: string) => args.push('-i', shellQuote(`${key}=${value}`));
  for (const field of fields) {
    if (!Object.hasOwn(input, field.name)) continue;
    const value = input[field.name];
    if (value === undefined || value === null || isDefaultValue(field, value)) continue;
    if (field.widget === 'secret') {
      args.push('-i', `"${field.name}=$${envName(field.name)}"`);
    } else if (field.widget === 'file' && typeof value === 'string') {
      add(field.name, fileArg(value, picked[field.name] as FileDraft | undefined));
    } else if (field.widget === 'files' && Array.isArray(value)) {
      const files = (picked[field.name] as FileDraft[] | undefined) ?? [];
      value.forEach((v, i) => add(field.name, fileArg(String(v), files[i])));
    } else if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
      // Repeated keys append to a list.
      for (const v of value) add(field.name, String(v));
    } else if (typeof value === 'object') {
      add(field.name, JSON.stringify(value));
    } else {
      add(field.name, String(value));
    }
  }
  return args.join(' ');
}
