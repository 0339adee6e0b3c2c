/**
 * `cogdesk weights list [--json]` and `cogdesk weights rm VERSION`: what setups downloaded, kept for the next
 * cold start of their version, and forgetting it (the next start downloads again).
 */
import type { Command } from 'commander';
import { formatBytes } from '../../shared/format';
import { seconds } from '../core/runner/weights';
import { print, printJson, withCore } from './context';

export function registerWeightsCommands(program: Command): void {
  const weights = program.command('weights').description('weights that model setups downloaded, kept so the next start is fast and works offline');
  weights
    .command('list')
    .description('list the kept weights, per version')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        const kept = await core.listKeptWeights();
        if (o.json) return printJson(kept);
        if (kept.length === 0) return print('No kept weights. A model whose setup downloads its weights keeps them at its first start.');
        const rows = kept.map((k) => {
          const version = core.store.library.getVersion(k.versionId);
          return `${(version?.modelId ?? '?').padEnd(40)} ${k.versionId.slice(0, 12)}  ${formatBytes(k.bytes).padStart(8)}  setup took ${seconds(k.setupMs)}`;
        });
        const total = kept.reduce((n, k) => n + k.bytes, 0);
        print([`${'MODEL'.padEnd(40)} VERSION       ${'SIZE'.padStart(8)}`, ...rows, `Total: ${formatBytes(total)}`].join('\n'));
      });
    });
  weights
    .command('rm')
    .description("forget a version's kept weights (its next start downloads them again)")
    .argument('<version>', 'a version id, image reference or local model name')
    .action(async (ref: string) => {
      await withCore('passive', async (core) => {
        const version = core.resolveVersion(ref);
        const { freedBytes } = await core.forgetKeptWeights(version.id);
        print(freedBytes > 0 ? `Forgot the kept weights of ${version.modelId} (${version.id.slice(0, 12)}): ${formatBytes(freedBytes)} freed` : `${version.modelId} (${version.id.slice(0, 12)}) had no kept weights`);
      });
    });
}
