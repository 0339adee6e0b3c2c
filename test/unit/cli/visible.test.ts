/** A model's text printed by the CLI: escape codes shown, never run by the terminal (issue 11, item 9). */
import { describe, expect, it } from 'vitest';
import { safeJson, visible, visibleStream } from '../../../src/main/cli/visible';

describe('visible', () => {
  it('shows ESC, BEL, backspace, DEL and C1 codes as \\xNN; keeps newline and tab', () => {
    expect(visible('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(visible('\x1b]0;owned\x07title')).toBe('\\x1b]0;owned\\x07title');
    expect(visible('ab\bc\x7f')).toBe('ab\\x08c\\x7f');
    expect(visible('\u009b31m')).toBe('\\x9b31m');
    expect(visible('a\tb\nc')).toBe('a\tb\nc');
    expect(visible('\x00')).toBe('\\x00');
  });

  it('keeps CRLF; a lone carriage return (which would overwrite the line) becomes a newline', () => {
    expect(visible('one\r\ntwo')).toBe('one\r\ntwo');
    expect(visible('secret\rpublic')).toBe('secret\npublic');
  });

  it('leaves other text alone (accents, emoji, right-to-left scripts)', () => {
    expect(visible('héllo 😀 שלום')).toBe('héllo 😀 שלום');
  });
});

describe('visibleStream', () => {
  it('a carriage return at the end of one piece waits for the next to see if a newline follows', () => {
    const s = visibleStream();
    expect(s.write('a\r')).toBe('a');
    expect(s.write('\nb\r')).toBe('\r\nb');
    expect(s.write('c\x1b')).toBe('\nc\\x1b');
    expect(s.write('x\r')).toBe('x');
    expect(s.end()).toBe('\n');
    expect(s.end()).toBe('');
  });
});

describe('safeJson', () => {
  it('escapes C1 codes that JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { output: 'a\u009b31m\x1b[0m', n: 1 };
    expect(JSON.stringify(value)).toContain('\u009b');
    const text = safeJson(value);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(value);
  });
});
