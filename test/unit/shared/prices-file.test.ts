import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentPrices, validatePricesFile } from '../../../src/main/core/settings/prices';
import { BUILTIN_PRICES } from '../../../src/shared/prices';
import { thrown } from '../../helpers/errors';

const dir = mkdtempSync(join(tmpdir(), 'cogdesk-prices-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('the prices file setting', () => {
  it('empty: the table shipped with the app', () => {
    expect(currentPrices('')).toBe(BUILTIN_PRICES);
    expect(() => validatePricesFile('')).not.toThrow();
  });

  it('a valid file replaces the table, read afresh each time (editing it refreshes the prices)', () => {
    const p = file('ok.json', JSON.stringify({ date: '2026-04-01', perSecond: { 'gpu-t4': 0.0003 } }));
    expect(() => validatePricesFile(p)).not.toThrow();
    expect(currentPrices(p)).toMatchObject({ date: '2026-04-01', source: p, perSecond: { 'gpu-t4': 0.0003 } });
    writeFileSync(p, JSON.stringify({ date: '2026-05-01', perSecond: { 'gpu-t4': 0.0004 } }));
    expect(currentPrices(p)).toMatchObject({ date: '2026-05-01', perSecond: { 'gpu-t4': 0.0004 } });
  });

  it('a bad file is refused when saved, with what is wrong and the shape to write', () => {
    const p = file('bad.json', JSON.stringify({ date: 'soon', perSecond: { 'gpu-t4': 'cheap' } }));
    const e = thrown(() => validatePricesFile(p));
    expect(e.code).toBe('bad_request');
    expect(e.message).toContain(`Settings not saved: pricesFile: The prices file ${p} was not used: "date" must be the day`);
    expect(e.hint).toContain('"perSecond"');
    expect(e.fields?.[0]?.field).toBe('pricesFile');
    expect((thrown(() => validatePricesFile(join(dir, 'missing.json')))).message).toContain('does not exist');
    expect((thrown(() => validatePricesFile('prices.json'))).message).toContain('must be a full path');
    expect((thrown(() => validatePricesFile(3))).message).toContain('pricesFile must be text');
  });

  it('a set file that broke later is never skipped silently: the built-in table comes with the problem', () => {
    const p = file('later.json', '{not json');
    const prices = currentPrices(p);
    expect(prices.perSecond).toEqual(BUILTIN_PRICES.perSecond);
    expect(prices.problem).toMatch(new RegExp(`^The prices file .*later\\.json is not JSON .* Using the prices shipped with the app \\(${BUILTIN_PRICES.date}\\) instead\\.$`));
  });
});
