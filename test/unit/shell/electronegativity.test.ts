import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

interface Finding {
  id: string;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  confidence: 'TENTATIVE' | 'FIRM' | 'CERTAIN';
  file: string;
  line: number;
  sample?: string;
  description: string;
}

/** Doyensec's electronegativity over a folder, offline, in its own process (it sets globals). */
function scan(folder: string): { issues: Finding[]; errors: Array<{ file: string; message: string; tolerable: boolean }> } {
  const out = execFileSync(process.execPath, [resolve(__dirname, 'electronegativity-run.cjs'), folder], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

/** The one finding that stays: a preload exists, and a person reviews it (it exposes the contract's named calls only). */
const REVIEWED = new Set(['PRELOAD_JS_CHECK']);

describe("electronegativity over src/ (Electron's misconfigurations and anti-patterns)", () => {
  const { issues, errors } = scan(resolve(ROOT, 'src'));

  it('reports no medium or high finding of firm or certain confidence but the preload review', () => {
    const serious = issues.filter((i) => ['MEDIUM', 'HIGH'].includes(i.severity) && ['FIRM', 'CERTAIN'].includes(i.confidence) && !REVIEWED.has(i.id));
    const described = serious.map((i) => `${i.id} (${i.severity}, ${i.confidence}) at ${i.file.replace(ROOT + '/', '')}:${i.line}: ${i.description}`);
    expect(described).toEqual([]);
  });

  it('parsed every file that uses Electron (a file it cannot read is a file it did not check)', () => {
    const unread = errors.filter((e) => !e.tolerable && /from ['"]electron['"]|require\(['"]electron['"]\)/.test(readFileSync(e.file, 'utf8')));
    expect(unread.map((e) => `${e.file}: ${e.message}`)).toEqual([]);
  });

  it('sees the shell at all (the window and its preload are found)', () => {
    expect(issues.some((i) => i.id === 'PRELOAD_JS_CHECK' && i.file.endsWith('.ts'))).toBe(true);
  });
});
