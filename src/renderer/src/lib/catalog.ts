import { isSafeImageSource } from './markdown';

/** A run count as Replicate shows it: 1.2K runs, 3.4M runs. */
export function formatRuns(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M runs`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1).replace(/\.0$/, '')}K runs`;
  return `${n} run${n === 1 ? '' : 's'}`;
}

/**
 * Only https images of public hosts from the API are shown (the page's CSP allows https; http, data:, this
 * machine and the local network are dropped, as in READMEs).
 */
export function safeImage(url: string | null | undefined): string | null {
  return url && /^https:\/\//i.test(url.trim()) && isSafeImageSource(url) ? url.trim() : null;
}

/** Only http(s) links (the Electron shell opens them in the system browser). */
export function safeLink(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}
