/**
 * `cogdesk settings`: the settings the window's Settings page shows, from a terminal. Without arguments it
 * lists them; `cogdesk settings KEY` prints one; `cogdesk settings KEY VALUE` changes one through the core
 * (core.updateSettings), so the window's checks apply. A value is typed as text and read as the setting's
 * type: true/false (on/off, yes/no) for a switch, a number, a list separated by commas, or text.
 */
import type { Command } from 'commander';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain';
import { CogdeskError } from '../../shared/errors';
import { print, printJson, withCore } from './context';
import { ReportedFailure } from './exit';

type Key = keyof Settings;
const KEYS = Object.keys(DEFAULT_SETTINGS) as Key[];

const TRUE = ['true', 'on', 'yes', '1'];
const FALSE = ['false', 'off', 'no', '0'];

/** What a setting takes, in words (for a value that is not one). */
function takes(key: Key): string {
  const d = DEFAULT_SETTINGS[key];
  if (typeof d === 'boolean') return 'true or false (on/off)';
  if (typeof d === 'number') return 'a number';
  if (Array.isArray(d)) return 'a list separated by commas ("" for none)';
  return 'text ("" for empty)';
}

/** A value typed on the command line as the setting's type; null when it is not one. */
export function parseSettingValue(key: Key, text: string): Settings[Key] | null {
  const d = DEFAULT_SETTINGS[key];
  const t = text.trim();
  if (typeof d === 'boolean') return TRUE.includes(t.toLowerCase()) ? true : FALSE.includes(t.toLowerCase()) ? false : null;
  if (typeof d === 'number') return t !== '' && Number.isFinite(Number(t)) ? Number(t) : null;
  if (Array.isArray(d)) return t.split(',').map((s) => s.trim()).filter(Boolean);
  return text;
}

/**
 * The setting a mistyped key most likely meant: the same but for case and -/_, a unique prefix, or a few edits
 * away (loaded when a key is unknown, not at start-up).
 */
export async function closestKey(typed: string, keys: readonly string[] = KEYS): Promise<string | undefined> {
  return (await import('../../shared/closest-name')).closestName(typed, keys);
}

async function knownKey(typed: string): Promise<Key> {
  if ((KEYS as string[]).includes(typed)) return typed as Key;
  const guess = await closestKey(typed);
  throw new ReportedFailure(
    `Error: there is no setting named "${typed}"${guess ? `. Did you mean "${guess}"?` : '.'}\nThe settings: ${KEYS.join(', ')} (cogdesk settings lists them with their values).`,
    2,
  );
}

/** A value as a person types it back: lists with commas, empty text and lists as (empty). */
function shown(value: Settings[Key]): string {
  if (Array.isArray(value)) return value.length ? value.join(',') : '(empty)';
  if (value === '') return '(empty)';
  return String(value);
}

function formatSettings(s: Settings): string {
  const rows = [['SETTING', 'VALUE', ''], ...KEYS.map((k) => [k, shown(s[k]), JSON.stringify(s[k]) === JSON.stringify(DEFAULT_SETTINGS[k]) ? '(default)' : ''])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd()).join('\n');
}

/** A change the core refused (out of range, not a GPU uuid, ...): what the setting takes, and that nothing changed. Exit 2. */
function refused(e: unknown, key: Key, text: string): never {
  if (e instanceof CogdeskError && e.code === 'bad_request') {
    const why = e.fields?.map((f) => f.message).join('; ') || e.message;
    throw new ReportedFailure(`Error: ${key} was not changed: ${why} (got "${text}").`, 2);
  }
  throw e;
}

export function registerSettingsCommand(program: Command): Command {
  program
    .command('settings')
    .description('list the settings (those of the window\'s Settings page), print one, or change one: cogdesk settings KEY VALUE')
    .argument('[key]', 'a setting, as listed (e.g. idleTimeoutSeconds)')
    .argument('[value]', 'its new value: true/false (on/off) for a switch, a number, a list separated by commas, or text ("" for empty)')
    .option('--json', 'print the settings (or the one setting) as JSON: the Settings object as the local API and the window have it, with camelCase keys')
    .action(async (typedKey: string | undefined, value: string | undefined, o: { json?: boolean }) => {
      const key = typedKey === undefined ? undefined : await knownKey(typedKey);
      const parsed = key !== undefined && value !== undefined ? parseSettingValue(key, value) : undefined;
      if (key !== undefined && value !== undefined && parsed === null) {
        throw new ReportedFailure(`Error: ${key} takes ${takes(key)}, got "${value}". Nothing was changed.`, 2);
      }
      await withCore('passive', async (core) => {
        const before = await core.getSettings();
        if (key === undefined) return o.json ? printJson(before) : print(formatSettings(before));
        if (value === undefined) return o.json ? printJson(before[key]) : print(shown(before[key]));
        const after = await core.updateSettings({ [key]: parsed } as Partial<Settings>).catch((e: unknown) => refused(e, key, value));
        if (o.json) return printJson(after[key]);
        const later = key === 'apiServerEnabled' || key === 'apiServerPort' ? ' It takes effect at the next start of the app.' : '';
        print(`${key} = ${shown(after[key])}${JSON.stringify(after[key]) === JSON.stringify(before[key]) ? ' (unchanged)' : ` (was ${shown(before[key])})`}.${later}`);
      });
    });
  return program;
}
