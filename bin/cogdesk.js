#!/usr/bin/env node
// The `cogdesk` command: the CLI built by `npm run build` (electron-vite) into out/main/cli.js.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('Error: Cogdesk is not built yet.\nRun `npm install && npm run build` in ' + join(__dirname, '..') + ' first.\n');
  process.exit(1);
}
process.env.COGDESK_CLI_MAIN = '1';
require(cli);
