/**
 * `-i text=@notes.txt` for a text input (not a file one): `@path` names a file for file inputs only, so the
 * core would send the text "@notes.txt". When that file exists, its text is what the person meant: read it
 * (one trailing newline dropped, as `$(cat notes.txt)` does) and say so on stderr. A value whose file does
 * not exist (`@someone`) stays as written.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { VersionSchema } from '../../shared/schema';

export function readTextInputs(args: string[], schema: VersionSchema, say: (line: string) => void): string[] {
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq < 1 || arg[eq + 1] !== '@') return arg;
    const key = arg.slice(0, eq);
    const field = schema.inputs.find((f) => f.name === key);
    if (!field || field.isFile || field.type !== 'string') return arg;
    const path = resolve(arg.slice(eq + 2));
    const isFile = (() => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    })();
    if (!isFile) return arg;
    const text = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    say(`Read the text input "${key}" from ${path} (${Buffer.byteLength(text)} bytes).`);
    return `${key}=${text}`;
  });
}
