/**
 * What JSON.parse lets through but nothing after it should meet: bodies nested so deeply that walking
 * them overflows the stack, and numbers too large for a 64-bit float (`1e309` parses as Infinity, which
 * JSON.stringify then writes as null).
 */

/** Deeper than any model input needs; far below what overflows a walk. */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of objects and arrays in a JSON text, counted up to `stopAt + 1`. */
export function jsonDepth(text: string, stopAt = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > stopAt) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * The places in a parsed body where a number overflowed to ±Infinity, named the way invalid_fields names
 * fields: a model input by its name (`times`, `sizes[2]`), anything else by its path (`stream`).
 */
export function overflowedNumbers(body: Record<string, unknown>): string[] {
  const found: string[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) found.push(path.replace(/^input\./, ''));
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]` }));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: path ? `${path}.${k}` : k });
    }
  }
  return found.sort();
}
