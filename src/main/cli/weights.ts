/**
 * `cogdesk weights list [--json]` and `cogdesk weights rm VERSION`: what setups downloaded, kept for the next
 * cold start of their version, and forgetting it (the next start downloads again). The list also shows Cog's
 * managed weights that pulls fetched (`kind: managed` in JSON); deleting their version frees them.
 */
import type { Command } from 'commander';
import { formatBytes } from '../../shared/format';
import { print, printJson, withCore } from './context';

export function registerWeightsCommands(program: Command): void {
  const weights = program.command('weights').description('weights that model setups downloaded, kept so the next start is fast and works offline');
  weights
    .command('list')
    .description('list the kept weights, per version')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withCore('passive', async (core) => {
        // Loaded here, not at start-up (index.ts).
        const [{ ManagedWeights }, { seconds }] = await Promise.all([import('../core/library/managed-weights'), import('../core/runner/weights')]);
        const kept = (await core.listKeptWeights()).filter((k) => k.kind === 'kept');
        // Cog's managed weights that pulls fetched (kept by digest in the data folder, mounted read-only).
        const managed = await new ManagedWeights(core.paths.weights).list();
        const modelOf = (versionId: string) => core.store.library.getVersion(versionId)?.modelId ?? null;
        if (o.json) {
          const { cliKeptWeights, cliManagedWeight } = await import('./json-weights');
          return printJson([...kept.map((k) => cliKeptWeights(k, modelOf(k.versionId))), ...managed.map((m) => cliManagedWeight(m, modelOf(m.versionId)))]);
        }
        if (kept.length === 0 && managed.length === 0) return print('No kept weights. A model whose setup downloads its weights keeps them at its first start.');
        const model = (versionId: string) => (modelOf(versionId) ?? '?').padEnd(40);
        const lines: string[] = [];
        if (kept.length > 0) {
          const rows = kept.map((k) => `${model(k.versionId)} ${k.versionId.slice(0, 12)}  ${formatBytes(k.bytes).padStart(8)}  setup took ${seconds(k.setupMs)}`);
          const total = kept.reduce((n, k) => n + k.bytes, 0);
          lines.push(`${'MODEL'.padEnd(40)} VERSION       ${'SIZE'.padStart(8)}`, ...rows, `Total: ${formatBytes(total)}`);
        }
        if (managed.length > 0) {
          if (lines.length) lines.push('');
          const rows = managed.map((m) => `${model(m.versionId)} ${m.versionId.slice(0, 12)}  ${(m.present ? formatBytes(m.bytes) : 'missing').padStart(8)}  ${m.name} at ${m.target}`);
          // A weight two versions share is on disk once.
          const total = [...new Map(managed.map((m) => [m.manifestDigest, m.bytes])).values()].reduce((n, b) => n + b, 0);
          lines.push(`Managed weights (fetched with the pull, mounted read-only):`, `${'MODEL'.padEnd(40)} VERSION       ${'SIZE'.padStart(8)}  WEIGHT`, ...rows, `Total: ${formatBytes(total)}`);
        }
        print(lines.join('\n'));
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
