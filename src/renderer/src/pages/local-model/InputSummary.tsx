import { useMemo } from 'react';
import type { Version } from '../../../../shared/domain';
import { parseVersionSchema, type InputField, type VersionSchema } from '../../../../shared/schema';

function typeText(f: InputField): string {
  if (f.isFile) return 'file';
  if (f.type === 'array') return `array of ${f.items?.isFile ? 'files' : (f.items?.type ?? 'values')}`;
  return f.choices ? `${f.type}, one of ${f.choices.join(', ')}` : f.type;
}

function defaultText(f: InputField): string {
  if (!f.hasDefault) return f.required ? 'required' : '—';
  const v = typeof f.default === 'string' ? f.default : JSON.stringify(f.default);
  return v === undefined ? '—' : v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

/** The inputs a version takes (from its schema): name, type, default or required, description. */
export function InputSummary({ version }: { version: Version }) {
  const schema = useMemo<VersionSchema | null>(() => {
    try {
      return parseVersionSchema(version.openapiSchema);
    } catch {
      return null;
    }
  }, [version]);
  if (!schema) return <p className="muted">This version's schema could not be read.</p>;
  if (schema.inputs.length === 0) return <p className="muted">No inputs.</p>;
  return (
    <div className="table-scroll">
      <table aria-label="Inputs" className="input-fields">
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">Type</th>
            <th scope="col">Default</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {schema.inputs.map((f) => (
            <tr key={f.name} data-input={f.name}>
              <td>
                <code>{f.name}</code>
              </td>
              <td>{typeText(f)}</td>
              <td className="mono small">{defaultText(f)}</td>
              <td className="small">{f.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">Output: {schema.output.kind}</p>
    </div>
  );
}
