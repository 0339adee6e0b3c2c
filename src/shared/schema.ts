/**
 * Reads the OpenAPI schema a Cog image carries (label `run.cog.openapi_schema`) into a flat list of input
 * fields and an output kind, which the UI builds its form from and the CLI coerces `key=value` args with.
 * Handles OpenAPI 3.0 (pydantic 1: `nullable`, choices as `allOf: [{$ref}]`) and 3.1 (pydantic 2:
 * `anyOf: [..., {type: 'null'}]`, `type: [..., 'null']`, choices as a direct `$ref`).
 * Part of the shared contract: the renderer runs it too, so it imports nothing from Node or from src/main.
 */
import { CogdeskError } from './errors';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';

export interface InputField {
  name: string;
  title: string;
  description?: string;
  type: FieldType;
  format?: string;
  /** format uri (for arrays, see items.isFile). */
  isFile: boolean;
  /** format password or x-cog-secret. */
  isSecret: boolean;
  required: boolean;
  nullable: boolean;
  hasDefault: boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** Resolved from allOf/$ref enums or a direct enum. */
  choices?: Array<string | number>;
  items?: { type: FieldType; isFile: boolean; format?: string };
  /** x-order, else position. */
  order: number;
}

export type OutputKind =
  | 'string' | 'file' | 'files' | 'iterator' | 'concatenate' | 'object' | 'array'
  | 'number' | 'integer' | 'boolean' | 'unknown';

export interface VersionSchema {
  openapi: string;
  /** Sorted by order. */
  inputs: InputField[];
  output: { kind: OutputKind; schema: unknown };
  raw: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

const FIELD_TYPES = new Set<string>(['string', 'integer', 'number', 'boolean', 'array', 'object']);

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(message: string): CogdeskError {
  return new CogdeskError({
    code: 'schema_invalid',
    message,
    hint:
      "The image's run.cog.openapi_schema label is not a usable Cog schema. " +
      'Check that the image was built with `cog build`, or rebuild it with a recent Cog.',
  });
}

export function parseVersionSchema(raw: unknown): VersionSchema {
  let doc: unknown = raw;
  if (typeof raw === 'string') {
    try {
      doc = JSON.parse(raw);
    } catch (e) {
      throw invalid(`The model's schema is not valid JSON (${(e as Error).message}).`);
    }
  }
  if (!isObject(doc)) throw invalid('The model\'s schema is not a JSON object.');
  const schemas = isObject(doc.components) ? doc.components.schemas : undefined;
  const input = isObject(schemas) ? schemas.Input : undefined;
  if (!isObject(input)) throw invalid('The model\'s schema has no inputs (components.schemas.Input is missing).');

  const props = isObject(input.properties) ? input.properties : {};
  const required = new Set(Array.isArray(input.required) ? input.required : []);
  const inputs = Object.entries(props)
    .filter((entry): entry is [string, Obj] => isObject(entry[1]))
    .map(([name, prop], i) => ({ field: toField(doc as Obj, name, prop, required.has(name), i), i }))
    .sort((a, b) => a.field.order - b.field.order || a.i - b.i)
    .map((x) => x.field);

  const output = isObject(schemas) && isObject(schemas.Output) ? effective(doc, schemas.Output) : undefined;
  return {
    openapi: typeof doc.openapi === 'string' ? doc.openapi : '',
    inputs,
    output: { kind: output ? outputKind(doc, output) : 'unknown', schema: output ?? null },
    raw: doc,
  };
}

/** The defaults of the fields that have one, e.g. to prefill a form. */
export function defaultInput(schema: VersionSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of schema.inputs) if (f.hasDefault) out[f.name] = f.default;
  return out;
}

/** Follows a local `#/...` JSON pointer; undefined when it leads nowhere. */
function resolveRef(root: Obj, ref: unknown): Obj | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node)) return undefined;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isObject(node) ? node : undefined;
}

/**
 * One flat view of a (sub)schema: `$ref`, single-member `allOf` and nullable `anyOf`/`oneOf` are merged in,
 * the node's own keys winning. Adds `nullable: true` where null is allowed.
 */
function effective(root: Obj, node: Obj, depth = 0): Obj {
  if (depth > 10) return node;
  let out: Obj = {};
  const mergeIn = (sub: unknown) => {
    if (isObject(sub)) out = { ...out, ...effective(root, sub, depth + 1) };
  };
  if (node.$ref !== undefined) mergeIn(resolveRef(root, node.$ref));
  if (Array.isArray(node.allOf)) node.allOf.forEach(mergeIn);
  let nullable = node.nullable === true;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = node[key];
    if (!Array.isArray(options)) continue;
    const nonNull = options.filter((o) => !(isObject(o) && o.type === 'null'));
    if (nonNull.length < options.length) nullable = true;
    if (nonNull.length === 1) mergeIn(nonNull[0]);
  }
  const { $ref: _ref, allOf: _allOf, ...own } = node;
  out = { ...out, ...own };
  if (Array.isArray(out.type)) {
    if (out.type.includes('null')) nullable = true;
    out.type = out.type.find((t) => t !== 'null');
  }
  if (nullable || out.nullable === true) out.nullable = true;
  return out;
}

function fieldType(s: Obj): FieldType {
  if (typeof s.type === 'string' && FIELD_TYPES.has(s.type)) return s.type as FieldType;
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    if (s.enum.every((v) => Number.isInteger(v))) return 'integer';
    if (s.enum.every((v) => typeof v === 'number')) return 'number';
    if (s.enum.every((v) => typeof v === 'string')) return 'string';
  }
  return 'unknown';
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** "num_outputs" -> "Num Outputs", as pydantic titles fields. */
function titleFromName(name: string): string {
  return name
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function toField(root: Obj, name: string, prop: Obj, required: boolean, position: number): InputField {
  const s = effective(root, prop);
  const type = fieldType(s);
  const format = str(s.format);
  const field: InputField = {
    name,
    // A choices field's title comes from its enum schema ("style"), so use only the property's own.
    title: str(prop.title) ?? titleFromName(name),
    type,
    isFile: type === 'string' && format === 'uri',
    isSecret: format === 'password' || s['x-cog-secret'] === true,
    required,
    nullable: s.nullable === true,
    hasDefault: 'default' in s,
    order: num(s['x-order']) ?? position,
  };
  if (str(s.description) !== undefined) field.description = str(s.description);
  if (format !== undefined) field.format = format;
  if (field.hasDefault) field.default = s.default;
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength'] as const) {
    const v = num(s[key]);
    if (v !== undefined) field[key] = v;
  }
  if (Array.isArray(s.enum)) {
    field.choices = s.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  }
  if (type === 'array') {
    const items = isObject(s.items) ? effective(root, s.items) : {};
    const itemType = fieldType(items);
    const itemFormat = str(items.format);
    field.items = { type: itemType, isFile: itemType === 'string' && itemFormat === 'uri' };
    if (itemFormat !== undefined) field.items.format = itemFormat;
  }
  return field;
}

function outputKind(root: Obj, s: Obj): OutputKind {
  switch (s.type) {
    case 'string':
      return s.format === 'uri' ? 'file' : 'string';
    case 'array': {
      if (s['x-cog-array-type'] === 'iterator') {
        return s['x-cog-array-display'] === 'concatenate' ? 'concatenate' : 'iterator';
      }
      const items = isObject(s.items) ? effective(root, s.items) : {};
      return items.type === 'string' && items.format === 'uri' ? 'files' : 'array';
    }
    case 'object':
    case 'number':
    case 'integer':
    case 'boolean':
      return s.type;
    default:
      return 'unknown';
  }
}
