import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/domain';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS).sort();
const keysOf = (s: Settings) => Object.keys(s).sort();
const rows = () => t.store.db.prepare('SELECT key, value FROM settings ORDER BY key').all() as Array<{ key: string; value: string }>;

describe('settings', () => {
  it('a fresh t.file has the defaults', () => {
    expect(t.store.settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(rows()).toEqual([]);
  });

  it('get answers a copy: changing it changes neither the defaults nor the t.store', () => {
    const s = t.store.settings.get();
    s.idleTimeoutSeconds = 1;
    expect(DEFAULT_SETTINGS.idleTimeoutSeconds).toBe(300);
    expect(t.store.settings.get().idleTimeoutSeconds).toBe(300);
  });

  it('update merges a partial change, keeps the types, and persists across a reopen', () => {
    const after = t.store.settings.update({ idleTimeoutSeconds: 42, hostNetwork: true });
    expect(after).toEqual({ ...DEFAULT_SETTINGS, idleTimeoutSeconds: 42, hostNetwork: true });
    expect(t.store.settings.update({ dockerHost: 'tcp://10.0.0.2:2375' })).toEqual({
      ...DEFAULT_SETTINGS,
      idleTimeoutSeconds: 42,
      hostNetwork: true,
      dockerHost: 'tcp://10.0.0.2:2375',
    });
    t.reopen();
    const s = t.store.settings.get();
    expect(s).toEqual({ ...DEFAULT_SETTINGS, idleTimeoutSeconds: 42, hostNetwork: true, dockerHost: 'tcp://10.0.0.2:2375' });
    expect(typeof s.idleTimeoutSeconds).toBe('number');
    expect(typeof s.hostNetwork).toBe('boolean');
    // Setting a value back to its default (false, empty text) is a change too.
    expect(t.store.settings.update({ hostNetwork: false, dockerHost: '' })).toEqual({ ...DEFAULT_SETTINGS, idleTimeoutSeconds: 42 });
  });

  it('undefined in a patch changes nothing', () => {
    t.store.settings.update({ predictionTimeoutSeconds: 60 });
    expect(t.store.settings.update({ predictionTimeoutSeconds: undefined })).toMatchObject({ predictionTimeoutSeconds: 60 });
  });

  it('unknown keys are ignored, on update and in the table', () => {
    const after = t.store.settings.update({ idleTimeoutSeconds: 10, bogus: 1, 'engine.webhookPort': '1' } as unknown as Partial<Settings>);
    expect(keysOf(after)).toEqual(SETTING_KEYS);
    expect(rows().map((r) => r.key)).toEqual(['idleTimeoutSeconds']);
    // A row some other build wrote.
    t.store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('removedSetting', JSON.stringify('x'));
    expect(t.store.settings.get()).toEqual({ ...DEFAULT_SETTINGS, idleTimeoutSeconds: 10 });
  });

  it("keys that only exist on Object.prototype are unknown keys too", () => {
    const patch = JSON.parse('{"toString": "x", "constructor": 5, "hasOwnProperty": 1, "__proto__": {"polluted": true}}') as Partial<Settings>;
    const after = t.store.settings.update(patch);
    expect(keysOf(after)).toEqual(SETTING_KEYS);
    expect(rows()).toEqual([]);
    const s = t.store.settings.get();
    expect(keysOf(s)).toEqual(SETTING_KEYS);
    expect((s as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof s.toString).toBe('function');
  });
});

describe('engine state', () => {
  it('keeps its values apart from the settings', () => {
    t.store.engineState.set('webhookSecret', 's3cret');
    t.store.engineState.set('webhookPort', '45678');
    expect(t.store.engineState.get('webhookSecret')).toBe('s3cret');
    expect(t.store.engineState.get('webhookPort')).toBe('45678');
    expect(t.store.engineState.get('nothing')).toBeUndefined();

    const s = t.store.settings.get();
    expect(s).toEqual(DEFAULT_SETTINGS);
    expect(keysOf(s)).toEqual(SETTING_KEYS);
    expect(JSON.stringify(s)).not.toContain('s3cret');
  });

  it('an engine key named like a setting does not change the setting, nor the other way round', () => {
    t.store.engineState.set('idleTimeoutSeconds', '1');
    expect(t.store.settings.get().idleTimeoutSeconds).toBe(DEFAULT_SETTINGS.idleTimeoutSeconds);
    t.store.settings.update({ dockerHost: 'unix:///x.sock' });
    expect(t.store.engineState.get('dockerHost')).toBeUndefined();
    expect(t.store.engineState.get('idleTimeoutSeconds')).toBe('1');
  });

  it('set overwrites, settings updates leave it alone, and it survives a reopen', () => {
    t.store.engineState.set('webhookPort', '1000');
    t.store.engineState.set('webhookPort', '2000');
    t.store.settings.update({ idleTimeoutSeconds: 5, hostNetwork: true });
    t.reopen();
    expect(t.store.engineState.get('webhookPort')).toBe('2000');
    expect(t.store.settings.get()).toEqual({ ...DEFAULT_SETTINGS, idleTimeoutSeconds: 5, hostNetwork: true });
  });
});
