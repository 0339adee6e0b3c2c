#!/usr/bin/env node
/**
 * Puts a better-sqlite3 built for Electron's ABI at resources/native/electron-<version>/better_sqlite3.node,
 * without touching node_modules (which keeps the Node build that the CLI and the tests use). The app loads
 * it through better-sqlite3's `nativeBinding` option; electron-builder ships it as an extra resource.
 * Needs the internet once (a prebuilt binary from better-sqlite3's releases, else Electron's headers to
 * compile one). Run by `npm run dev`, `npm start` and `npm run dist`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = require('electron/package.json').version;
const target = join(root, 'resources', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');

if (existsSync(target)) process.exit(0);

const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'cogdesk-electron-sqlite-'));
const env = { ...process.env };
// A `nodedir` in the npm config makes node-gyp build against Node's headers: a Node binary in disguise.
for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];

try {
  cpSync(pkgDir, work, { recursive: true, filter: (src) => !src.includes(`${join(pkgDir, 'build')}`) });
  console.log(`Getting better-sqlite3 for Electron ${electronVersion}…`);
  try {
    execFileSync(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch, '--platform', process.platform, '--path', work], { stdio: 'inherit', env });
  } catch {
    console.log('No prebuilt binary; compiling against Electron headers…');
    execFileSync(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit', env });
  }
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error('the build produced no better_sqlite3.node');
  mkdirSync(dirname(target), { recursive: true });
  cpSync(built, target);
  console.log(`Wrote ${target}`);
} catch (e) {
  console.error(`Could not get better-sqlite3 for Electron ${electronVersion}: ${e.message}`);
  console.error('The app needs it to open its database. Check the internet connection and run `node scripts/electron-native.mjs` again.');
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
