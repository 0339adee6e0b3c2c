/**
 * Bad inputs and the answer validation must give, before anything reaches a container (issue 11, item 9).
 * Each row runs in test/unit/cog/bad-inputs.test.ts: `input` through validateInput (JSON, as the local API
 * and the window send it) or `args` through parseInputArgs then validateInput (the CLI's -i key=value).
 * `field` is the field the one error names; `message` must match it; `code` is its FieldError code.
 */
export type SchemaName = 'openapi.json' | 'openapi-file.json' | 'openapi-types.json';

export interface ValidateCase {
  name: string;
  schema: SchemaName;
  /** A JSON input (after JSON.parse: 1e309 is Infinity). */
  input?: Record<string, unknown>;
  /** CLI arguments (key=value), parsed with the schema first. */
  args?: string[];
  field: string;
  code: 'type' | 'range' | 'choices' | 'required' | 'unknown' | 'format' | 'invalid';
  message: RegExp;
}

const tooBig = JSON.parse('{"text":"hi","times":1e309}') as Record<string, unknown>;
const tooSmall = JSON.parse('{"token":"t","temperature":-1e309}') as Record<string, unknown>;

export const VALIDATE_CASES: ValidateCase[] = [
  // Numbers that overflow a double: "got null" before (JSON.stringify(Infinity) is null).
  { name: 'times 1e309 in JSON (Infinity)', schema: 'openapi.json', input: tooBig, field: 'times', code: 'range', message: /^times is out of range: the number is too large/ },
  { name: 'temperature -1e309 in JSON', schema: 'openapi-types.json', input: tooSmall, field: 'temperature', code: 'range', message: /^temperature is out of range: the number is too small/ },
  { name: 'times=1e309 on the command line (integer field)', schema: 'openapi.json', args: ['text=hi', 'times=1e309'], field: 'times', code: 'range', message: /^times is out of range/ },
  { name: 'temperature=1e309 on the command line (number field)', schema: 'openapi-types.json', args: ['token=t', 'temperature=1e309'], field: 'temperature', code: 'range', message: /^temperature is out of range/ },
  { name: 'a 400-digit integer on the command line', schema: 'openapi.json', args: ['text=hi', `times=${'9'.repeat(400)}`], field: 'times', code: 'range', message: /^times is out of range/ },

  // Text that cannot be encoded as UTF-8 for the container.
  { name: 'a lone high surrogate in a string', schema: 'openapi.json', input: { text: '\ud800' }, field: 'text', code: 'invalid', message: /^text cannot be encoded: it holds a lone UTF-16 surrogate \(\\ud800\) at character 1/ },
  { name: 'a lone low surrogate after text', schema: 'openapi.json', input: { text: 'ab\udc00' }, field: 'text', code: 'invalid', message: /\(\\udc00\) at character 3/ },
  { name: 'a lone surrogate in a list item', schema: 'openapi-types.json', input: { token: 't', tags: ['ok', 'x\ud83d'] }, field: 'tags', code: 'invalid', message: /^item 2 of tags cannot be encoded/ },
  { name: 'a lone surrogate in a secret', schema: 'openapi-types.json', input: { token: '\udfff' }, field: 'token', code: 'invalid', message: /^token cannot be encoded/ },

  // data: URIs whose base64 is broken: Cog decoded them to nothing and the prediction "succeeded".
  { name: 'base64 data with characters outside the alphabet', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64,!!!!' }, field: 'image', code: 'format', message: /^image is not a valid data: URI: its base64 data is malformed \("!" at position 1 of the data\)/ },
  { name: 'base64 data with a space inside', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64,aGVs bG8=' }, field: 'image', code: 'format', message: /malformed \(\\u0020 at position 5/ },
  { name: 'base64 padding in the middle', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64,aG=Vsbg==' }, field: 'image', code: 'format', message: /malformed \("=" at position 3/ },
  { name: 'base64 of a length that cannot be whole bytes', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64,aGVsb' }, field: 'image', code: 'format', message: /5 characters cannot be whole bytes/ },
  { name: 'URL-safe base64 (- and _)', schema: 'openapi-file.json', input: { image: 'data:application/octet-stream;base64,-_-_' }, field: 'image', code: 'format', message: /"-" at position 1/ },
  { name: 'a data: URI without a comma', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64' }, field: 'image', code: 'format', message: /it has no "," between its header and its data/ },
  { name: 'malformed base64 on the command line', schema: 'openapi-file.json', args: ['image=data:text/plain;base64,%%%%'], field: 'image', code: 'format', message: /^image is not a valid data: URI/ },
];

/** Inputs close to the bad ones that must pass, so the checks refuse no more than they should. */
export const VALID_NEIGHBOURS: Array<{ name: string; schema: SchemaName; input: Record<string, unknown> }> = [
  { name: 'a surrogate pair (an emoji)', schema: 'openapi.json', input: { text: '\ud83d\ude00' } },
  { name: 'the largest integer the field takes', schema: 'openapi.json', input: { text: 'hi', times: 10 } },
  { name: 'padded base64', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64,aGk=' } },
  { name: 'unpadded base64', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64,aGk' } },
  { name: 'an empty file', schema: 'openapi-file.json', input: { image: 'data:text/plain;base64,' } },
  { name: 'a percent-encoded data: URI', schema: 'openapi-file.json', input: { image: 'data:text/plain,hello%20world' } },
  { name: 'a base64 parameter after the charset', schema: 'openapi-file.json', input: { image: 'data:text/plain;charset=utf-8;base64,aGk=' } },
];
