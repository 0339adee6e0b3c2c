import type { Example, Model, Prediction } from '../../shared/domain';
import type { ErrorInfo } from '../../shared/errors';

const short = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** An ISO 8601 (UTC) timestamp as this machine's local time, `2026-12-06 05:17:33`; '-' when there is none. */
export function localTime(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return iso ?? '-';
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** The local date of an ISO 8601 timestamp, `2026-12-06` (not the UTC date a slice of it gives); '-' when there is none. */
export const localDay = (iso: string | null | undefined): string => (iso ? localTime(iso).slice(0, 10) : '-');

/** This machine's offset from UTC, `UTC+01:00`. */
export function utcOffset(at = new Date()): string {
  const minutes = -at.getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

export function formatModels(models: Model[]): string {
  if (models.length === 0) return 'No models yet. Pull one with: cogdesk pull IMAGE';
  return table([
    ['MODEL', 'VERSIONS', 'LATEST VERSION'],
    ...models.map((m) => [m.id, String(m.versionCount), m.latestVersionId?.slice(0, 12) ?? '-']),
  ]);
}

export function formatPredictions(list: Prediction[]): string {
  if (list.length === 0) return 'No predictions yet. Run a model with: cogdesk run IMAGE -i key=value';
  return table([
    ['ID', 'MODEL', 'ON', 'STATUS', 'CREATED (LOCAL TIME)', 'PREDICT TIME', 'SOURCE'],
    ...list.map((p) => [
      p.id,
      short(p.modelId, 40),
      p.runOn,
      p.status,
      localTime(p.createdAt),
      p.metrics?.predict_time !== undefined ? `${p.metrics.predict_time.toFixed(2)}s` : '-',
      p.source,
    ]),
  ]);
}

export function formatOutput(output: unknown): string {
  if (output === null || output === undefined) return '';
  if (typeof output === 'string') return output;
  if (Array.isArray(output) && output.every((o) => typeof o === 'string')) {
    // Streamed text (a list of tokens) reads as one text; a list of files as one path a line.
    const looksLikeFiles = output.length > 0 && output.every((o) => o.startsWith('/') || /^https?:/.test(o));
    return looksLikeFiles ? output.join('\n') : output.join('');
  }
  return JSON.stringify(output, null, 2);
}

export function formatPrediction(p: Prediction): string {
  const lines = [
    `ID:        ${p.id}`,
    `Model:     ${p.modelId}`,
    `Version:   ${p.versionId}`,
    `Status:    ${p.status}`,
    `Ran on:    ${p.remote ? `Replicate (prediction ${p.remote.id}${p.remote.webUrl ? `, ${p.remote.webUrl}` : ''})` : 'this machine'}`,
    `Source:    ${p.source}`,
    `Created:   ${localTime(p.createdAt)}  (local time, ${utcOffset(new Date(p.createdAt))})`,
    `Started:   ${localTime(p.startedAt)}`,
    `Completed: ${localTime(p.completedAt)}`,
  ];
  if (p.metrics?.predict_time !== undefined) lines.push(`Predict time: ${p.metrics.predict_time.toFixed(3)}s`);
  lines.push('', 'Input:', JSON.stringify(p.input, null, 2));
  if (p.error) lines.push('', `Error: ${p.error}`);
  if (p.output !== null && p.output !== undefined) lines.push('', 'Output:', formatOutput(p.output));
  if (p.logs) lines.push('', 'Logs:', p.logs.trimEnd());
  return lines.join('\n');
}

export function formatExamples(list: Example[]): string {
  if (list.length === 0) return 'No examples yet. Add one with: cogdesk examples add PREDICTION_ID';
  return table([
    ['#', 'PREDICTION', 'DEFAULT', 'INPUT'],
    ...list.map((e) => [String(e.position + 1), e.predictionId, e.isDefault ? 'yes' : '', short(JSON.stringify(e.prediction.input), 60)]),
  ]);
}

/** "1 problem(s)" as a person writes it: "1 problem", "2 problems". */
const plural = (text: string) => text.replace(/\b(\d+) (\w+)\(s\)/g, (_, n: string, word: string) => `${n} ${word}${n === '1' ? '' : 's'}`);

export function formatError(e: ErrorInfo): string {
  const fields = e.fields ?? [];
  const lines = [`Error: ${plural(e.message)}`];
  for (const f of fields) lines.push(`  - ${f.message}`);
  // A hint that repeats the problems listed above says only what to do: each problem is printed once.
  const hint = fields.length > 0 && e.hint?.startsWith('Fix these and try again:') ? 'Fix these and try again.' : e.hint;
  if (hint) lines.push(hint);
  if (e.details) lines.push('', e.details.trimEnd());
  return lines.join('\n');
}
