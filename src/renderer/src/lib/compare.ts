/** Two predictions' inputs side by side: every field either has, and whether the two differ. */
export interface InputRow {
  name: string;
  a: unknown;
  b: unknown;
  /** True when one has the field and the other not, or their values differ (objects compared by content). */
  differs: boolean;
}

/** Stable JSON: objects' keys sorted, so {x, y} equals {y, x}. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** The fields of both inputs, in the first's order then the second's own, with their differences marked. */
export function inputRows(a: Record<string, unknown>, b: Record<string, unknown>): InputRow[] {
  const names = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
  return names.map((name) => {
    const inA = Object.hasOwn(a, name);
    const inB = Object.hasOwn(b, name);
    return { name, a: a[name], b: b[name], differs: inA !== inB || canonical(a[name]) !== canonical(b[name]) };
  });
}
