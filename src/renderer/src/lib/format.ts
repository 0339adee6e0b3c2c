/** How numbers, sizes, times and ids read in the window. */
import { formatBytes as formatSize } from '../../../shared/format';

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  return formatSize(bytes);
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Seconds between two ISO times (or until now), null when the start is missing. */
/**
 * Seconds from one time to another, or to now while it runs; never below 0 against this machine's clock (a
 * prediction run on Replicate has its start stamped by Replicate's clock, which may be ahead of this one).
 */
export function secondsBetween(from: string | null, to: string | null, now = Date.now()): number | null {
  if (!from) return null;
  const seconds = ((to ? Date.parse(to) : now) - Date.parse(from)) / 1000;
  return to ? seconds : Math.max(0, seconds);
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString();
}

/** "3 min ago" style, for lists. */
export function formatAgo(iso: string, now = Date.now()): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function shortId(id: string, n = 12): string {
  return id.length > n ? id.slice(0, n) : id;
}

/** Any input or output value in one line, cut at 200 characters. */
export function briefValue(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s === undefined ? '' : s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** A count as a person says it: "1 version", "2 versions", "0 predictions". */
export function countOf(n: number, word: string, plural = `${word}s`): string {
  return `${n} ${n === 1 ? word : plural}`;
}
