/**
 * The layers of the house (shared/DESIGN.md): the renderer knows only the contract, so no file under
 * src/renderer imports anything under src/main; and the contract (src/shared) runs in the sandboxed
 * renderer as well as in Node, so nothing under src/shared imports from src/main, from Node's built-in
 * modules (`node:fs`, `path`, ...) or from Electron. Every import statement of every .ts/.tsx file is read
 * with the TypeScript compiler (type-only imports count too: they still tie the window to the engine's
 * files); each violation is reported as `file: 'specifier'`.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, sourceFiles } from '../../helpers/imports';

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'src/main');
const BUILTINS = new Set(builtinModules);

/** Whether a relative (or absolute) specifier written in `file` lands under src/main. */
function reachesMain(file: string, spec: string): boolean {
  if (!spec.startsWith('.') && !isAbsolute(spec)) return false;
  const rel = relative(MAIN, resolve(dirname(file), spec));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A Node built-in (`node:fs`, `fs`, `fs/promises`) or Electron: neither exists in the sandboxed renderer. */
function nodeOrElectron(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]) || spec === 'electron' || spec.startsWith('electron/');
}

const RULES = {
  renderer: (file: string, spec: string) => reachesMain(file, spec),
  shared: (file: string, spec: string) => reachesMain(file, spec) || nodeOrElectron(spec),
};

/** The imports of one file that break its layer's rule, as `path: 'specifier'` (path from the repository root). */
function violations(file: string, text: string, rule: (file: string, spec: string) => boolean): string[] {
  return importSpecifiers(file, text)
    .filter((spec) => rule(file, spec))
    .map((spec) => `${relative(ROOT, file)}: '${spec}'`);
}

function scan(dir: string, rule: (file: string, spec: string) => boolean): { files: number; found: string[] } {
  const files = sourceFiles(join(ROOT, dir));
  return { files: files.length, found: files.flatMap((f) => violations(f, readFileSync(f, 'utf8'), rule)) };
}

describe('layers', () => {
  it('the check sees every kind of import and names the file and the import', () => {
    const page = join(ROOT, 'src/renderer/src/pages/x/Page.tsx');
    const text = [
      "import type { A } from '../../../../main/core/cog/schema';",
      "import { B } from '../../../../shared/schema';",
      "export { C } from '../../../../main/core/index';",
      "import '../../../../main/csp';",
      "type D = import('../../../../main/core/events').D;",
      "const e = () => import('../../../../main');",
      "import { useState } from 'react';",
      'export const Page = () => <div />;',
    ].join('\n');
    expect(violations(page, text, RULES.renderer)).toEqual([
      "src/renderer/src/pages/x/Page.tsx: '../../../../main/core/cog/schema'",
      "src/renderer/src/pages/x/Page.tsx: '../../../../main/core/index'",
      "src/renderer/src/pages/x/Page.tsx: '../../../../main/csp'",
      "src/renderer/src/pages/x/Page.tsx: '../../../../main/core/events'",
      "src/renderer/src/pages/x/Page.tsx: '../../../../main'",
    ]);
    // A sibling folder whose name only starts like "main" is not src/main.
    expect(violations(page, "import x from '../../../../mainline/x';", RULES.renderer)).toEqual([]);

    const shared = join(ROOT, 'src/shared/x.ts');
    const sharedText = [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "import { promises } from 'fs/promises';",
      "import { app } from 'electron';",
      "import type { Core } from '../main/core/index';",
      "import { CogdeskError } from './errors';",
      "import { marked } from 'marked';",
    ].join('\n');
    expect(violations(shared, sharedText, RULES.shared)).toEqual([
      "src/shared/x.ts: 'node:fs'",
      "src/shared/x.ts: 'path'",
      "src/shared/x.ts: 'fs/promises'",
      "src/shared/x.ts: 'electron'",
      "src/shared/x.ts: '../main/core/index'",
    ]);
  });

  it('no file under src/renderer imports anything under src/main', () => {
    const { files, found } = scan('src/renderer', RULES.renderer);
    expect(files).toBeGreaterThan(20);
    expect(found, `The renderer imports from src/main (move what it needs into src/shared):\n${found.join('\n')}`).toEqual([]);
  });

  it('nothing under src/shared imports from src/main, from Node built-ins or from Electron', () => {
    const { files, found } = scan('src/shared', RULES.shared);
    expect(files).toBeGreaterThan(5);
    expect(found, `The shared contract runs in the renderer too; these imports break it:\n${found.join('\n')}`).toEqual([]);
  });
});
