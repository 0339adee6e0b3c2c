/**
 * No source file over 400 lines: a file that long holds more than one thing, and its name can no longer
 * say what is in it. Counted: every .ts and .tsx file under src/ (stylesheets and other assets are not
 * code to split). A failure names each file and its length.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(e.name) ? [path] : [];
  });
}

/** Lines as `wc -l` counts them for a file that ends with a newline. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('file size', () => {
  it('counts lines as wc -l does', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('a\nb\n')).toBe(2);
  });

  it(`no .ts or .tsx file under src/ is over ${MAX_LINES} lines`, () => {
    const files = sourceFiles(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(50);
    const over = files
      .map((f) => ({ file: relative(ROOT, f).split('\\').join('/'), lines: lineCount(readFileSync(f, 'utf8')) }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(over, `Over ${MAX_LINES} lines (split each into files named for what they hold):\n${over.join('\n')}`).toEqual([]);
  });
});
