/**
 * Kept weights as the window shows them, pure: what a version's setup downloaded and Cogdesk kept for its
 * next cold start (listKeptWeights), added up per version and in all.
 */
import type { KeptWeightsInfo } from '../../../shared/domain';
import { formatBytes } from './format';

/** Bytes kept per version id (a version may have several: one per environment or GPU request). */
export function keptByVersion(list: KeptWeightsInfo[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of list) out[k.versionId] = (out[k.versionId] ?? 0) + k.bytes;
  return out;
}

/** All that is kept: the bytes and how many versions they belong to. */
export function keptTotal(list: KeptWeightsInfo[]): { bytes: number; versions: number } {
  const by = keptByVersion(list);
  return { bytes: Object.values(by).reduce((a, b) => a + b, 0), versions: Object.keys(by).length };
}

/** A version's line: "weights kept: 4.2 MB". */
export function keptLine(bytes: number): string {
  return `weights kept: ${formatBytes(bytes)}`;
}

/** Settings' one line of the total: "4.2 MB kept for 1 version" or that nothing is kept. */
export function keptSummary(list: KeptWeightsInfo[]): string {
  const { bytes, versions } = keptTotal(list);
  if (versions === 0) return 'No weights are kept now.';
  return `${formatBytes(bytes)} kept for ${versions} version${versions === 1 ? '' : 's'}.`;
}
