import { describe, expect, it } from 'vitest';
import { defaultHome, homePaths } from '../../../src/main/core/paths';
import { validateSettings } from '../../../src/main/core/settings';

describe('data folder', () => {
  it('is COGDESK_HOME when set, else the per-platform user-data folder the Electron app uses', () => {
    expect(defaultHome({ COGDESK_HOME: '/data/cd' }, 'linux')).toBe('/data/cd');
    expect(defaultHome({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/Cogdesk');
    expect(defaultHome({}, 'darwin')).toMatch(/Library\/Application Support\/Cogdesk$/);
    expect(defaultHome({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Cogdesk$/);
  });

  it('gives each home its own stable id, database and outputs folder', () => {
    const a = homePaths('/tmp/a');
    expect(a).toMatchObject({ home: '/tmp/a', database: '/tmp/a/cogdesk.db', outputs: '/tmp/a/outputs' });
    expect(homePaths('/tmp/a/').homeId).toBe(a.homeId);
    expect(homePaths('/tmp/b').homeId).not.toBe(a.homeId);
  });
});

describe('settings checks', () => {
  it('accepts good values and refuses each bad one by name, changing nothing', () => {
    expect(() => validateSettings({ idleTimeoutSeconds: 60, hostNetwork: true, dockerHost: '' })).not.toThrow();
    const error = (() => {
      try {
        validateSettings({ idleTimeoutSeconds: 0, predictionTimeoutSeconds: Number.NaN, hostNetwork: 'yes' as unknown as boolean, colour: 'red' } as never);
      } catch (e) {
        return e as { code: string; fields: Array<{ field: string }>; hint: string };
      }
      throw new Error('no error');
    })();
    expect(error.code).toBe('bad_request');
    expect(error.fields.map((f) => f.field)).toEqual(['idleTimeoutSeconds', 'predictionTimeoutSeconds', 'hostNetwork', 'colour']);
    expect(error.hint).toMatch(/Nothing was changed/);
  });
});
