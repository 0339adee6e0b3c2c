/**
 * Opens the built renderer over the real core in any browser, by hand:
 *   npx electron-vite build && node --import tsx test/e2e/bridge/main.ts [--port 5199] [--home DIR]
 * (COGDESK_HOME or a fresh temp folder by default). Loopback only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridge } from './server';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  const home = arg('--home') ?? process.env.COGDESK_HOME ?? mkdtempSync(join(tmpdir(), 'cogdesk-bridge-'));
  const bridge = await startBridge({ home, port: Number(arg('--port') ?? 0), injectClient: true });
  console.log(`Cogdesk renderer over the real core: ${bridge.url}  (data folder ${home}; Ctrl-C stops)`);
  process.on('SIGINT', () => void bridge.close().finally(() => process.exit(0)));
}

void main();
