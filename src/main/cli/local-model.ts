/**
 * `cogdesk model NAME` for a model here (any name the resolver takes): its versions, and the inputs of the
 * one named (the latest by default) with types, defaults, ranges, choices and descriptions, and how to run it.
 */
import type { Example, Model, Version } from '../../shared/domain';
import { formatBytes } from '../../shared/format';
import { parseVersionSchema, type InputField } from '../../shared/schema';
import { apiModelName } from '../../shared/model-names';
import { resolveName } from '../core/library/resolve-name';
import type { Store } from '../core/store';
import { print, printJson } from './context';
import { localTime } from './format';

const oneLine = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

function typeOf(f: InputField): string {
  if (f.isFile) return 'file';
  if (f.type === 'array' && f.items) return `list of ${f.items.isFile ? 'file' : f.items.type}`;
  return f.type;
}

function range(f: InputField): string {
  if (f.choices) return `one of ${f.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  const lo = f.minimum ?? (f.minLength !== undefined ? `${f.minLength} chars` : undefined);
  const hi = f.maximum ?? (f.maxLength !== undefined ? `${f.maxLength} chars` : undefined);
  if (lo !== undefined && hi !== undefined) return `${lo} to ${hi}`;
  if (lo !== undefined) return `at least ${lo}`;
  if (hi !== undefined) return `at most ${hi}`;
  return '';
}

/** `cogdesk run MODEL -i name=VALUE ...` with the inputs it must be given. */
export function runLine(modelId: string, required: InputField[]): string {
  return `cogdesk run ${modelId}${required.map((f) => ` -i ${f.name}=${f.isFile ? '@FILE' : 'VALUE'}`).join('')}`;
}

/** The run line of a version: its required inputs from its schema (none when the schema cannot be read). */
export function runLineOf(modelId: string, version: Version): string {
  try {
    return runLine(modelId, parseVersionSchema(version.openapiSchema).inputs.filter((f) => f.required && !f.hasDefault));
  } catch {
    return runLine(modelId, []);
  }
}

export interface LocalModelPage {
  model: Model;
  versions: Version[];
  /** The version whose inputs are shown. */
  version: Version;
  examples: Example[];
}

export function formatLocalModel(p: LocalModelPage): string {
  const lines = [`${p.model.id}  (local)`, ''];
  lines.push(`Version: ${p.version.id}  (${localTime(p.version.createdAt)} local time${p.version.cogVersion ? `, cog ${p.version.cogVersion}` : ''})`);
  lines.push(`Image:   ${p.version.imageRef}${p.version.sizeBytes ? `  (${formatBytes(p.version.sizeBytes)})` : ''}`);
  let required: InputField[] = [];
  try {
    const schema = parseVersionSchema(p.version.openapiSchema);
    required = schema.inputs.filter((f) => f.required && !f.hasDefault);
    lines.push('', 'Inputs (* required):');
    lines.push(
      table([
        ['  NAME', 'TYPE', 'DEFAULT', 'ALLOWED', 'DESCRIPTION'],
        ...schema.inputs.map((f) => [
          `  ${f.name}${f.required && !f.hasDefault ? '*' : ''}`,
          typeOf(f),
          f.hasDefault ? (JSON.stringify(f.default) ?? 'null') : '-',
          range(f) || '-',
          oneLine(f.description),
        ]),
      ]),
    );
    lines.push(`Output:  ${schema.output.kind}`);
  } catch {
    lines.push('', 'Inputs:  (the schema of this version could not be read)');
  }
  if (p.versions.length > 1) {
    lines.push('', `Versions (${p.versions.length}, local time):`);
    lines.push(table(p.versions.map((v) => [`  ${v.id.slice(0, 12)}`, localTime(v.createdAt), v.imageRef])));
  }
  if (p.examples.length) {
    lines.push('', `Examples (${p.examples.length}):`);
    lines.push(table(p.examples.map((e) => [`  ${e.predictionId}`, e.isDefault ? 'default' : '', JSON.stringify(e.prediction.input).slice(0, 80)])));
  }
  lines.push('', `Run it:  ${runLine(p.model.id, required)}`);
  return lines.join('\n');
}

/**
 * Prints the page of the local model `ref` names (text, or --json in Replicate's model shape with every
 * version's schema); false when `ref` is not a local model (a Replicate name is the catalog's).
 */
export async function printLocalModel(store: Store, ref: string, o: { json?: boolean }): Promise<boolean> {
  const r = resolveName(store.library, ref);
  if (r.kind !== 'local') return false;
  const page: LocalModelPage = {
    model: r.model,
    versions: store.library.listVersions(r.model.id),
    version: r.version,
    examples: store.examples.list(r.model.id),
  };
  if (o.json) {
    const { iso } = await import('./json-time');
    const v = (x: Version) => ({ id: x.id, created_at: iso(x.createdAt), cog_version: x.cogVersion ?? '', openapi_schema: x.openapiSchema, image: x.imageRef });
    printJson({
      id: r.model.id,
      ...apiModelName(r.model.id),
      version: v(r.version),
      versions: page.versions.map(v),
      examples: page.examples.map((e) => ({ prediction_id: e.predictionId, is_default: e.isDefault, input: e.prediction.input })),
    });
  } else {
    print(formatLocalModel(page));
  }
  return true;
}
