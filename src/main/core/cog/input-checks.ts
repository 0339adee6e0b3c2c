/**
 * Checks on input values that a JSON schema cannot say, run before it: values no model can receive
 * (a number that overflowed to Infinity, text with a lone UTF-16 surrogate) and data: URIs whose base64
 * is broken (Cog would decode them to nothing and the prediction would "succeed" with an empty file).
 */
import type { FieldError } from '../../../shared/errors';
import type { InputField, VersionSchema } from '../../../shared/schema';

/** A surrogate that is not half of a pair: with the u flag a pair is one code point, so only lone ones match. */
const LONE_SURROGATE = /\p{Cs}/u;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const escaped = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;

/** What is wrong with one value, or undefined. `subject` names it ("text", "item 2 of images"). */
function valueProblem(value: unknown, subject: string): Pick<FieldError, 'code' | 'message'> | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    if (Number.isNaN(value)) return { code: 'type', message: `${subject} must be a number, got NaN` };
    return {
      code: 'range',
      message: `${subject} is out of range: the number is too ${value > 0 ? 'large' : 'small'} to represent (it overflows to ${value > 0 ? '' : '-'}Infinity)`,
    };
  }
  if (typeof value === 'string') {
    const lone = LONE_SURROGATE.exec(value);
    if (lone) {
      return {
        code: 'invalid',
        message: `${subject} cannot be encoded: it holds a lone UTF-16 surrogate (${escaped(lone[0].charCodeAt(0))}) at character ${lone.index + 1}, which is not valid Unicode`,
      };
    }
  }
  return undefined;
}

/** What is wrong with a data: URI given for a file, or undefined when it is well formed (or not a data: URI). */
export function dataUriProblem(value: string): string | undefined {
  if (!/^data:/i.test(value)) return undefined;
  const comma = value.indexOf(',');
  if (comma < 0) return 'it has no "," between its header and its data';
  const params = value.slice(5, comma).split(';').map((p) => p.trim().toLowerCase());
  if (!params.includes('base64')) return undefined;
  const data = value.slice(comma + 1);
  if (!BASE64.test(data)) {
    const wrong = /[^A-Za-z0-9+/=]|=(?=[^=])/.exec(data);
    const at = wrong ? wrong.index : data.search(/={3,}$/);
    const c = data[at] ?? '';
    const shown = /[\x21-\x7e]/.test(c) ? `"${c}"` : escaped(c.charCodeAt(0));
    return `its base64 data is malformed (${shown} at position ${at + 1} of the data)`;
  }
  const unpadded = data.replace(/=+$/, '');
  if (unpadded.length % 4 === 1 || (data.length !== unpadded.length && data.length % 4 !== 0)) {
    return `its base64 data is malformed (${data.length} characters cannot be whole bytes)`;
  }
  return undefined;
}

const isFileField = (f: InputField) => f.isFile || f.items?.isFile === true;

/**
 * The first problem of each field of the schema (walking into lists and objects without recursion, so a
 * deeply nested value cannot overflow the stack). Fields the schema does not have are left to validation.
 */
export function checkInputValues(schema: VersionSchema, input: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of schema.inputs) {
    if (!Object.prototype.hasOwnProperty.call(input, field.name)) continue;
    const problem = firstProblem(field, input[field.name]);
    if (problem) errors.push({ field: field.name, ...problem });
  }
  return errors;
}

function firstProblem(field: InputField, root: unknown): Pick<FieldError, 'code' | 'message'> | undefined {
  const stack: Array<{ value: unknown; subject: string; depth: number }> = [{ value: root, subject: field.name, depth: 0 }];
  while (stack.length > 0) {
    const { value, subject, depth } = stack.pop()!;
    const problem = valueProblem(value, subject);
    if (problem) return problem;
    if (typeof value === 'string' && isFileField(field) && depth <= 1) {
      const bad = dataUriProblem(value);
      if (bad) {
        return {
          code: 'format',
          message: `${subject} is not a valid data: URI: ${bad}. Send the file's bytes base64-encoded (data:<type>;base64,<data>), or an http(s) URL`,
        };
      }
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], subject: `item ${i + 1} of ${subject}`, depth: depth + 1 });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, v] = entries[i];
        const keyProblem = valueProblem(key, `a key in ${subject}`);
        if (keyProblem) return keyProblem;
        stack.push({ value: v, subject: `${subject}.${key}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
