/**
 * Checks an input against a model's Input schema before anything reaches the container, and explains each
 * problem per field in words a person can act on. Unlike Cog, unknown fields are rejected.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CogdeskError, type FieldError } from '../../../shared/errors';
import { checkInputValues } from './input-checks';
import { isObject, type InputField, type VersionSchema } from '../../../shared/schema';
import { closestName } from '../../../shared/closest-name';

type Obj = Record<string, unknown>;

/** What Cog accepts for a file input: a data: URI or an http(s) URL (the server downloads it). */
export function isFileReference(value: unknown): boolean {
  return typeof value === 'string' && (/^data:[^,]*,/i.test(value) || /^https?:\/\/[^\s/]+/i.test(value));
}

const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
ajv.addFormat('uri', isFileReference); // in a Cog schema, format uri means a file
ajv.addFormat('password', true); // secrets

const cache = new WeakMap<VersionSchema, ValidateFunction>();

export function validateInput(schema: VersionSchema, input: Record<string, unknown>): FieldError[] {
  if (!isObject(input)) {
    return [{ field: '', code: 'invalid', message: 'The input must be an object of field names to values.' }];
  }
  const fields = new Map(schema.inputs.map((f) => [f.name, f]));
  const names = schema.inputs.map((f) => f.name);
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) if (!fields.has(key)) errors.push(unknownField(key, names));
  // Values no schema keyword catches (Infinity, lone surrogates, broken base64) are said first, once a field.
  const checked = checkInputValues(schema, input);
  errors.push(...checked);
  const said = new Set(checked.map((e) => e.field));

  const validate = compiled(schema);
  if (!validate(input)) {
    const best = new Map<string, { rank: number; error: FieldError }>();
    for (const e of validate.errors ?? []) {
      const mapped = describe(e, input, fields);
      if (!mapped) continue;
      const seen = best.get(mapped.error.field);
      if (!seen || mapped.rank < seen.rank) best.set(mapped.error.field, mapped);
    }
    for (const [field, { error }] of best) if (field === '' || (fields.has(field) && !said.has(field))) errors.push(error);
  }
  const position = (field: string) => (field === '' ? -1 : fields.has(field) ? names.indexOf(field) : names.length);
  return errors
    .map((error, i) => ({ error, i }))
    .sort((a, b) => position(a.error.field) - position(b.error.field) || a.i - b.i)
    .map((x) => x.error);
}

export function assertValidInput(schema: VersionSchema, input: Record<string, unknown>): void {
  const fields = validateInput(schema, input);
  if (fields.length === 0) return;
  const shown = fields.slice(0, 3).map((f) => f.message);
  const more = fields.length > 3 ? `; and ${fields.length - 3} more` : '';
  throw new CogdeskError({
    code: 'input_invalid',
    message: `The input is not valid for this model: ${fields.length} ${fields.length === 1 ? 'problem' : 'problems'}`,
    // One full stop at the end, never after a question ("did you mean x?").
    hint: `Fix these and try again: ${`${shown.join('; ')}${more}`.replace(/([^.?!])$/, '$1.')}`,
    fields,
  });
}

function compiled(schema: VersionSchema): ValidateFunction {
  const hit = cache.get(schema);
  if (hit) return hit;
  const components = isObject(schema.raw.components) ? schema.raw.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const root = { ...(toJsonSchema(schemas.Input) as Obj), components: { schemas: mapOf(schemas) } };
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(root);
  } catch (e) {
    throw new CogdeskError({
      code: 'schema_invalid',
      message: `Cannot check inputs against this model's schema: ${(e as Error).message}`,
      hint: "The image's OpenAPI schema is malformed; rebuild the image with a recent Cog.",
    });
  } finally {
    ajv.removeSchema(root); // the validator stays usable; this only drops ajv's own cache entry
  }
  cache.set(schema, validate);
  return validate;
}

// --- OpenAPI 3.0 -> JSON Schema -------------------------------------------------------------------

const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'example', 'examples', 'required']);
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'schemas']);

/**
 * Copies a schema, turning OpenAPI 3.0 `nullable: true` into `anyOf: [schema, {type: 'null'}]`. Ajv's own
 * `nullable` needs a sibling `type` (Cog's choices have none) and would still check null against an enum.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = DATA_KEYWORDS.has(k) ? v : MAP_KEYWORDS.has(k) && isObject(v) ? mapOf(v) : toJsonSchema(v);
  }
  if (out.nullable !== true) return out;
  const { nullable: _nullable, ...rest } = out;
  return { anyOf: [rest, { type: 'null' }] };
}

function mapOf(map: Obj): Obj {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, toJsonSchema(v)]));
}

// --- ajv errors -> field errors -------------------------------------------------------------------

const RANK: Record<FieldError['code'], number> = { required: 0, unknown: 0, choices: 1, type: 2, format: 3, range: 4, invalid: 5 };
const TYPE_WORDS: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false',
  array: 'a list', object: 'an object', null: 'null',
};
const RANGE_WORDS: Record<string, string> = {
  minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than',
};

function describe(
  e: ErrorObject,
  input: Obj,
  fields: Map<string, InputField>,
): { rank: number; error: FieldError } | undefined {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required' && e.instancePath === '') {
    const field = String(p.missingProperty);
    return { rank: RANK.required, error: { field, code: 'required', message: `${field} is required` } };
  }
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (path.length === 0) {
    if (e.keyword === 'additionalProperties') return undefined; // reported as 'unknown' already
    return { rank: RANK.invalid, error: { field: '', code: 'invalid', message: `The input ${e.message}` } };
  }
  // A failed anyOf (e.g. a nullable field) only repeats what its branches said; "must be null" is noise.
  if (['anyOf', 'oneOf', 'allOf', 'if'].includes(e.keyword)) return undefined;
  if (e.keyword === 'type' && p.type === 'null') return undefined;

  const [field] = path;
  const subject = path.slice(1).reduce((s, part) => (/^\d+$/.test(part) ? `item ${Number(part) + 1} of ${s}` : `${s}.${part}`), field);
  const value = path.reduce<unknown>((v, part) => (isObject(v) || Array.isArray(v) ? (v as Obj)[part] : undefined), input);
  const got = `got ${show(value)}`;
  const make = (code: FieldError['code'], message: string) => ({ rank: RANK[code], error: { field, code, message } });
  const def = path.length === 1 ? fields.get(field) : undefined;

  switch (e.keyword) {
    case 'type': {
      const types = def && def.type !== 'unknown' ? [def.type, ...(def.nullable ? ['null'] : [])] : String(p.type).split(',');
      return make('type', `${subject} must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}, ${got}`);
    }
    case 'enum':
      return make('choices', `${subject} must be one of: ${(p.allowedValues as unknown[]).join(', ')} (${got})`);
    case 'const':
      return make('choices', `${subject} must be ${show(p.allowedValue)}, ${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return make('range', `${subject} must be ${RANGE_WORDS[e.keyword]} ${p.limit}, ${got}`);
    case 'multipleOf':
      return make('range', `${subject} must be a multiple of ${p.multipleOf}, ${got}`);
    case 'minLength':
    case 'maxLength':
      return make('range', `${subject} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${p.limit} characters long, got ${String(value).length}`);
    case 'minItems':
    case 'maxItems':
      return make('range', `${subject} must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${p.limit} item(s), got ${Array.isArray(value) ? value.length : 0}`);
    case 'format':
      return p.format === 'uri'
        ? make('format', `${subject} must be a file (a data: URI or an http(s) URL), ${got}`)
        : make('format', `${subject} must be a valid ${p.format}, ${got}`);
    case 'pattern':
      return make('format', `${subject} must match the pattern ${p.pattern}, ${got}`);
    case 'required':
      return make('required', `${subject}.${p.missingProperty} is required`);
    case 'additionalProperties':
      return make('unknown', `${subject} has no field named "${p.additionalProperty}"`);
    default:
      return make('invalid', `${subject} ${e.message}`);
  }
}

/** A value as it would be typed, cut short (data: URIs run to megabytes). */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > 60 ? `${text.slice(0, 50)}…` : text;
  return typeof value === 'string' ? `"${cut}"` : cut;
}

function unknownField(key: string, names: string[]): FieldError {
  const takes = names.length ? `this model takes: ${names.join(', ')}` : 'this model takes no inputs';
  const guess = closestName(key, names);
  const suggestion = guess ? `. Did you mean "${guess}"?` : '';
  return { field: key, code: 'unknown', message: `no input named "${key}"; ${takes}${suggestion}` };
}
