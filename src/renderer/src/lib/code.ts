/**
 * "Copy as code": the Playground's prediction as curl, JavaScript (the official `replicate` npm package) and
 * Python (the official `replicate` package), against the local API (base URL and token as the README's
 * "Run Replicate code against local models" says) or against Replicate. Like the CLI line: defaults are
 * left out, secrets are read from an environment variable named after the input. File inputs must already
 * be `data:` URIs or URLs (the local API never reads a path on this machine): the caller reads kept files.
 */
import { isDefaultValue, type FormField } from '../form/fields';
import { envName } from './cli';

export type CodeLanguage = 'curl' | 'javascript' | 'python';

export type CodeTarget =
  /** The local API: `origin` like http://127.0.0.1:5190; `tokenFile` says where its token is kept. */
  | { kind: 'local'; origin: string; model: string; version: string; tokenFile?: string }
  /** Replicate's API: the model's `owner/name` and the version's 64-character id. */
  | { kind: 'replicate'; model: string; version: string };

/** A value the code reads from the environment instead of writing it out (a secret input). */
export class EnvVar {
  constructor(readonly name: string) {}
}

export const LOCAL_TOKEN_VAR = 'COGDESK_TOKEN';
export const REPLICATE_TOKEN_VAR = 'REPLICATE_API_TOKEN';
export const REPLICATE_API = 'https://api.replicate.com/v1';

/** The input as the code sends it: defaults and empty values left out, secrets as environment variables. */
export function codeInput(fields: FormField[], input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!Object.hasOwn(input, field.name)) continue;
    const value = input[field.name];
    if (value === undefined || value === null || isDefaultValue(field, value)) continue;
    out[field.name] = field.widget === 'secret' ? new EnvVar(envName(field.name)) : value;
  }
  return out;
}

type Lang = 'javascript' | 'python';

const isScalar = (v: unknown) => v === null || v instanceof EnvVar || typeof v !== 'object';

/** A JavaScript or Python literal for a JSON value (strings as JSON strings, which both languages read). */
function literal(value: unknown, lang: Lang, indent: string): string {
  const unit = lang === 'python' ? '    ' : '  ';
  if (value instanceof EnvVar) return lang === 'python' ? `os.environ[${JSON.stringify(value.name)}]` : `process.env.${value.name}`;
  if (value === null || value === undefined) return lang === 'python' ? 'None' : 'null';
  if (typeof value === 'boolean') return lang === 'python' ? (value ? 'True' : 'False') : String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : lang === 'python' ? 'None' : 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => literal(v, lang, indent + unit));
    if (value.every(isScalar) && items.join(', ').length <= 80) return `[${items.join(', ')}]`;
    return `[\n${items.map((i) => `${indent}${unit}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${indent}${unit}${JSON.stringify(k)}: ${literal(v, lang, indent + unit)},`).join('\n')}\n${indent}}`;
}

const hasEnv = (value: unknown): boolean =>
  value instanceof EnvVar || (typeof value === 'object' && value !== null && Object.values(value).some(hasEnv));

const ref = (target: CodeTarget) => `${target.model}:${target.version}`;

function tokenNote(target: CodeTarget, comment: string): string {
  if (target.kind === 'replicate') return `${comment} ${REPLICATE_TOKEN_VAR}: your Replicate API token (https://replicate.com/account/api-tokens)`;
  return `${comment} ${LOCAL_TOKEN_VAR}: the local API's token${target.tokenFile ? `, kept in ${target.tokenFile}` : ' (`cogdesk serve` prints it)'}`;
}

function javascript(target: CodeTarget, input: Record<string, unknown>): string {
  const client =
    target.kind === 'local'
      ? `const replicate = new Replicate({\n  auth: process.env.${LOCAL_TOKEN_VAR},\n  baseUrl: ${JSON.stringify(`${target.origin}/v1`)},\n});`
      : `const replicate = new Replicate(); // reads ${REPLICATE_TOKEN_VAR}`;
  return [
    'import Replicate from "replicate";',
    '',
    tokenNote(target, '//'),
    client,
    '',
    `const output = await replicate.run(${JSON.stringify(ref(target))}, {`,
    `  input: ${literal(input, 'javascript', '  ')},`,
    '});',
    'console.log(output);',
    '',
  ].join('\n');
}

function python(target: CodeTarget, input: Record<string, unknown>): string {
  const local = target.kind === 'local';
  const imports = local || hasEnv(input) ? ['import os', '', 'import replicate'] : ['import replicate'];
  const client = local
    ? [`client = replicate.Client(`, `    api_token=os.environ[${JSON.stringify(LOCAL_TOKEN_VAR)}],`, `    base_url=${JSON.stringify(target.origin)},`, ')']
    : [];
  return [
    ...imports,
    '',
    tokenNote(target, '#'),
    ...client,
    `output = ${local ? 'client' : 'replicate'}.run(`,
    `    ${JSON.stringify(ref(target))},`,
    `    input=${literal(input, 'python', '    ')},`,
    ')',
    'print(output)',
    '',
  ].join('\n');
}

/**
 * curl with the body on standard input (a here-document, so a large data: URI does not meet the shell's
 * limit on one argument). The here-document's delimiter is unquoted so that secrets come from the
 * environment; `\`, `$` and backquotes in the JSON are escaped for it.
 */
function curl(target: CodeTarget, input: Record<string, unknown>): string {
  const marks = new Map<string, string>();
  const withMarks = JSON.parse(
    JSON.stringify(input, (_k, v: unknown) => {
      if (v instanceof EnvVar) {
        const mark = `@@cogdesk-env-${marks.size}@@`;
        marks.set(mark, v.name);
        return mark;
      }
      return v;
    }),
  ) as Record<string, unknown>;
  let body = JSON.stringify({ version: target.version, input: withMarks }, null, 2).replace(/[\\$`]/g, (c) => `\\${c}`);
  for (const [mark, name] of marks) body = body.split(mark).join(`\${${name}}`);
  const base = target.kind === 'local' ? `${target.origin}/v1` : REPLICATE_API;
  const tokenVar = target.kind === 'local' ? LOCAL_TOKEN_VAR : REPLICATE_TOKEN_VAR;
  return [
    tokenNote(target, '#'),
    `curl -s -X POST ${base}/predictions \\`,
    `  -H "Authorization: Bearer $${tokenVar}" \\`,
    '  -H "Content-Type: application/json" \\',
    '  -H "Prefer: wait" \\',
    '  --data-binary @- <<JSON',
    body,
    'JSON',
    '',
  ].join('\n');
}

/** The code that runs this input on the target, in the language asked for. */
export function codeSnippet(language: CodeLanguage, target: CodeTarget, fields: FormField[], input: Record<string, unknown>): string {
  const sent = codeInput(fields, input);
  if (language === 'javascript') return javascript(target, sent);
  if (language === 'python') return python(target, sent);
  return curl(target, sent);
}
