/**
 * Checks an answer of the local API against test/fixtures/client-fields.json: the fields the official
 * Python and JavaScript clients require of each object. Returns one line per problem (none when it fits).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ObjectFields {
  required: Record<string, string>;
  optional: Record<string, string>;
  values?: string;
}

const FIELDS_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'client-fields.json');
export const CLIENT_FIELDS = (JSON.parse(readFileSync(FIELDS_PATH, 'utf8')) as { objects: Record<string, ObjectFields> }).objects;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Problems of `value` as the type named `type` (a base type, a|b literal list, an object name, Page<X>, List<X>). */
export function checkClientFields(type: string, value: unknown, where: string = type): string[] {
  const generic = /^(Page|List)<(\w+)>$/.exec(type);
  if (generic) {
    const [, outer, inner] = generic;
    if (outer === 'List') {
      if (!Array.isArray(value)) return [`${where}: expected a list, got ${JSON.stringify(value)?.slice(0, 80)}`];
      return value.flatMap((v, i) => checkClientFields(inner, v, `${where}[${i}]`));
    }
    const page = checkClientFields('Page', value, where);
    if (page.length > 0) return page;
    return ((value as { results: unknown[] }).results).flatMap((v, i) => checkClientFields(inner, v, `${where}.results[${i}]`));
  }
  const spec = CLIENT_FIELDS[type];
  if (spec) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${where}: expected a ${type} object, got ${JSON.stringify(value)?.slice(0, 80)}`];
    const obj = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const [field, fieldType] of Object.entries(spec.required)) {
      if (obj[field] === undefined || obj[field] === null) problems.push(`${where}.${field}: required by the official clients, missing`);
      else problems.push(...checkClientFields(fieldType, obj[field], `${where}.${field}`));
    }
    for (const [field, fieldType] of Object.entries(spec.optional)) {
      if (obj[field] !== undefined && obj[field] !== null) problems.push(...checkClientFields(fieldType, obj[field], `${where}.${field}`));
    }
    if (spec.values) {
      for (const [k, v] of Object.entries(obj)) if (!(k in spec.required) && !(k in spec.optional)) problems.push(...checkClientFields(spec.values, v, `${where}.${k}`));
    }
    return problems;
  }
  const bad = (what: string) => [`${where}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 80)}`];
  switch (type) {
    case 'any':
      return [];
    case 'string':
      return typeof value === 'string' ? [] : bad('a string');
    case 'integer':
      return Number.isInteger(value) ? [] : bad('an integer');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : bad('a number');
    case 'boolean':
      return typeof value === 'boolean' ? [] : bad('a boolean');
    case 'object':
      return value && typeof value === 'object' && !Array.isArray(value) ? [] : bad('an object');
    case 'array':
      return Array.isArray(value) ? [] : bad('a list');
    case 'datetime':
      return typeof value === 'string' && ISO_DATE.test(value) ? [] : bad('an ISO 8601 date-time');
  }
  if (type.includes('|')) return typeof value === 'string' && type.split('|').includes(value) ? [] : bad(`one of ${type}`);
  throw new Error(`client-fields.json: unknown type "${type}" at ${where}`);
}
