import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDataUri, saveOutputFiles } from '../../../src/main/core/runner/outputs';

describe('output files', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'cogdesk-out-'));
    dirs.push(d);
    return join(d, 'pred');
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('parses base64 and percent-encoded data URIs with their type', () => {
    expect(parseDataUri('data:text/plain;base64,aGVsbG8=')).toEqual({ mime: 'text/plain', bytes: Buffer.from('hello') });
    expect(parseDataUri('data:,a%20b')).toEqual({ mime: 'text/plain', bytes: Buffer.from('a b') });
    expect(parseDataUri('https://example.test/x.png')).toBeNull();
  });

  it('writes each data URI to a file named after its place in the output and keeps the rest', async () => {
    const out = dir();
    const saved = (await saveOutputFiles(
      { text: 'hi', files: ['data:image/png;base64,iVBORw0KGgo=', 'data:audio/wav;base64,UklGRg=='], url: 'https://x.test/a.png' },
      out,
    )) as { text: string; files: string[]; url: string };
    expect(saved.text).toBe('hi');
    expect(saved.url).toBe('https://x.test/a.png');
    expect(saved.files).toEqual([join(out, 'output-files-0.png'), join(out, 'output-files-1.wav')]);
    expect(readFileSync(saved.files[0])).toEqual(Buffer.from('iVBORw0KGgo=', 'base64'));
  });

  it('writes the same names again for the same output (live, then final) and nothing for plain values', async () => {
    const out = dir();
    expect(await saveOutputFiles('data:text/plain;base64,YQ==', out)).toBe(join(out, 'output.txt'));
    expect(await saveOutputFiles('data:text/plain;base64,Yg==', out)).toBe(join(out, 'output.txt'));
    expect(readFileSync(join(out, 'output.txt'), 'utf8')).toBe('b');
    const other = dir();
    expect(await saveOutputFiles(['a', 'b'], other)).toEqual(['a', 'b']);
    expect(existsSync(other)).toBe(false);
  });
});
