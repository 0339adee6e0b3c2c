/**
 * The name a typo most likely meant ("Did you mean …?"), for an input of a model and for a setting: the same
 * letters ignoring case, `-`, `_` and spaces; else the only name that starts with what was typed (3 letters
 * or more); else the fewest edits (Levenshtein), at most a third of the name's length (1 to 3). None when
 * nothing is that close.
 */
import { distance } from 'fastest-levenshtein';

const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

export function closestName(typed: string, names: readonly string[]): string | undefined {
  const n = norm(typed);
  if (!n) return undefined;
  const same = names.find((name) => norm(name) === n);
  if (same) return same;
  const starting = names.filter((name) => norm(name).startsWith(n));
  if (starting.length === 1 && n.length >= 3) return starting[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = distance(n, norm(name));
    if (d <= Math.min(3, Math.max(1, Math.floor(name.length / 3))) && d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}
