/**
 * `cogdesk settings`: lists every setting, prints one, changes one through the core's checks (the value read
 * as the setting's type); an unknown key or a bad value exits 2, says what is known or taken, and changes
 * nothing. Built CLI, real SQLite.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/domain';
import { assertBuilt, runCli, tempDirs, type CliRun } from './run-cli';

let home: string;
let cleanup: () => void;

beforeAll(() => assertBuilt());
beforeEach(() => {
  ({ dirs: [home], cleanup } = tempDirs('cogdesk-cli-settings-'));
});
afterEach(() => cleanup());

const cli = (args: string[]) => runCli(['settings', ...args], { home });
async function ok(args: string[]): Promise<CliRun> {
  const r = await cli(args);
  expect(r.code, `cogdesk settings ${args.join(' ')}\nstdout: ${r.stdout.toString()}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}
const saved = async () => JSON.parse((await ok(['--json'])).stdout.toString()) as Settings;

describe('cogdesk settings', { timeout: 60_000 }, () => {
  it('lists every setting with its value, and --json prints the Settings object', async () => {
    const table = (await ok([])).stdout.toString();
    expect(table.split('\n')[0]).toMatch(/^SETTING\s+VALUE$/);
    for (const key of Object.keys(DEFAULT_SETTINGS)) expect(table).toMatch(new RegExp(`^${key}\\s`, 'm'));
    expect(table).toMatch(/^cliBackgroundServer\s+false\s+\(default\)$/m);
    expect(table).toMatch(/^idleTimeoutSeconds\s+300\s+\(default\)$/m);
    expect(await saved()).toEqual(DEFAULT_SETTINGS);
  });

  it('KEY VALUE sets one, read as its type (switches, numbers, lists, text); KEY prints one', async () => {
    expect((await ok(['cliBackgroundServer', 'on'])).stdout.toString()).toBe('cliBackgroundServer = true (was false).\n');
    await ok(['idleTimeoutSeconds', '42']);
    await ok(['gpuDeviceIds', 'GPU-5f3c,GPU-a1b2']);
    await ok(['dockerHost', 'unix:///var/run/docker.sock']);
    await ok(['keepWeights', 'false']);
    expect(await saved()).toEqual({
      ...DEFAULT_SETTINGS,
      cliBackgroundServer: true,
      idleTimeoutSeconds: 42,
      gpuDeviceIds: ['GPU-5f3c', 'GPU-a1b2'],
      dockerHost: 'unix:///var/run/docker.sock',
      keepWeights: false,
    });
    expect((await ok(['idleTimeoutSeconds'])).stdout.toString()).toBe('42\n');
    expect((await ok(['gpuDeviceIds', '--json'])).stdout.toString()).toBe('[\n  "GPU-5f3c",\n  "GPU-a1b2"\n]\n');
    expect(await ok(['cliBackgroundServer', 'off'])).toMatchObject({ code: 0 });
    await ok(['gpuDeviceIds', '']);
    expect(await saved()).toMatchObject({ cliBackgroundServer: false, gpuDeviceIds: [] });
    const table = (await ok([])).stdout.toString();
    expect(table).toMatch(/^idleTimeoutSeconds\s+42$/m);
  });

  it('an unknown key exits 2, lists the known ones and suggests the close one', async () => {
    const r = await cli(['idleTimeout', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: there is no setting named "idleTimeout". Did you mean "idleTimeoutSeconds"?');
    expect(r.stderr).toContain(`The settings: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`);
    const far = await cli(['colour']);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/^Error: there is no setting named "colour"\.$/m);
    expect(await saved()).toEqual(DEFAULT_SETTINGS);
  });

  it('a bad value exits 2, says what the setting takes, and changes nothing', async () => {
    const word = await cli(['cliBackgroundServer', 'maybe']);
    expect(word.code).toBe(2);
    expect(word.stderr).toBe('Error: cliBackgroundServer takes true or false (on/off), got "maybe". Nothing was changed.\n');
    const notNumber = await cli(['idleTimeoutSeconds', 'soon']);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('idleTimeoutSeconds takes a number, got "soon"');
    // Of the right type, refused by the core's checks (the window's): the range it takes.
    const range = await cli(['idleTimeoutSeconds', '0']);
    expect(range.code).toBe(2);
    expect(range.stderr).toBe('Error: idleTimeoutSeconds was not changed: idleTimeoutSeconds must be a number of seconds from 1 to 604800 (got "0").\n');
    const gpu = await cli(['gpuDeviceIds', '0,1']);
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toContain('gpuDeviceIds must be a list of GPU uuids');
    expect(await saved()).toEqual(DEFAULT_SETTINGS);
  });

  it('too many arguments is bad usage: exit 2', async () => {
    const r = await cli(['idleTimeoutSeconds', '1', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('too many arguments');
  });
});
