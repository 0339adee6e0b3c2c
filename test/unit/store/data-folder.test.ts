import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/core/store';

describe('the data folder', () => {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const parent = () => {
    const d = mkdtempSync(join(tmpdir(), 'cogdesk-folder-'));
    made.push(d);
    return d;
  };

  it('is created readable by its owner only: it holds every prediction and the webhook secret', () => {
    const home = join(parent(), 'Cogdesk');
    openStore(join(home, 'cogdesk.db')).close();
    expect(statSync(home).mode & 0o777).toBe(0o700);
  });

  it('is made owner-only when an older Cogdesk created it 0755', () => {
    const home = join(parent(), 'Cogdesk');
    mkdirSync(home, { mode: 0o755 });
    chmodSync(home, 0o755);
    openStore(join(home, 'cogdesk.db')).close();
    expect(statSync(home).mode & 0o777).toBe(0o700);
  });
});
