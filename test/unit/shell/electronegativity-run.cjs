/**
 * Runs Doyensec's electronegativity over a folder and prints {issues, errors} as JSON on stdout (its own
 * chatter goes to stderr). Offline on purpose: electronegativity fetches translations and Electron's release
 * list from GitHub with `got`; here `got` answers an error at once, so the scan sends nothing off this
 * machine. The release check (which needs that list) is left out; the Electron version is the installed one.
 * Usage: node electronegativity-run.cjs <folder>
 */
const Module = require('node:module');
const { resolve } = require('node:path');

const offline = () => Promise.reject(new Error('offline: this scan sends nothing off the machine'));
offline.head = offline;
offline.get = offline;
offline.default = offline;
Object.defineProperty(offline, '__esModule', { value: true });
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'got' ? offline : load.call(this, request, ...rest);
};

const log = console.log;
console.log = (...args) => console.error(...args);

const root = resolve(__dirname, '../../..');
const electronVersion = require(resolve(root, 'node_modules/electron/package.json')).version;
const electronegativity = require('@doyensec/electronegativity');
const run = electronegativity.default ?? electronegativity;

run({
  input: resolve(process.argv[2]),
  electronVersionOverride: electronVersion,
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
}).then(
  ({ issues, errors }) => {
    const plain = issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file,
      line: i.location.line,
      sample: i.sample,
      description: i.description,
    }));
    log(JSON.stringify({ issues: plain, errors }));
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
