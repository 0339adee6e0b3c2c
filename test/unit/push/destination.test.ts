/**
 * Where a push goes: the naming rules (each broken rule says what is wrong and how to write it), the
 * hardware a new model gets by default (the SKU matching this machine's GPUs, cpu without one), checking
 * a SKU against the hardware Replicate offers, and whose a destination is.
 */
import { describe, expect, it } from 'vitest';
import type { RemoteModel } from '../../../src/shared/catalog';
import type { Gpu, HardwareReport } from '../../../src/shared/hardware';
import { checkHardware, checkOwner, defaultHardware, parseDestination } from '../../../src/main/core/push/destination';
import { thrown } from '../../helpers/errors';

const REGISTRY = 'r8.im';

describe('parseDestination: the naming rules', () => {
  it.each([
    ['alice/my-model', 'alice', 'my-model'],
    ['alice/sdxl_v2.1', 'alice', 'sdxl_v2.1'],
    ['cogdesk/push-0a1b', 'cogdesk', 'push-0a1b'],
    ['a1/b__c', 'a1', 'b__c'],
    ['  alice/model  ', 'alice', 'model'],
    ['r8.im/alice/model', 'alice', 'model'],
  ])('accepts %s', (input, owner, name) => {
    const d = parseDestination(input, REGISTRY);
    expect(d).toEqual({ owner, name, id: `${owner}/${name}`, image: `${REGISTRY}/${owner}/${name}` });
  });

  it('drops the registry host in front only when it is the push registry', () => {
    expect(parseDestination('127.0.0.1:5101/cogdesk/x', '127.0.0.1:5101').id).toBe('cogdesk/x');
    expect(thrown(() => parseDestination('docker.io/alice/x', REGISTRY)).message).toMatch(/more than one "\/"/);
  });

  it.each([
    ['', /is empty/, /owner\/name/],
    ['my-model', /has no owner/, /owner\/name/],
    ['alice/team/model', /more than one "\/"/, /owner\/name/],
    ['alice/My-Model', /capital letters/, /my-model/],
    ['Alice/model', /owner "Alice" has capital letters/, /alice/],
    ['alice/my model', /contains spaces/, /my-model/],
    ['alice/model!', /contains "!"/, /lowercase letters/],
    ['alice/-model', /starts or ends with "-"/, /not at the start or end/],
    ['alice/model.', /starts or ends with "\."/, /not at the start or end/],
    ['alice/a..b', /separators next to each other/, /not two in a row/],
    ['alice/a-.b', /separators next to each other/, /not two in a row/],
    ['alice/model:v2', /"v2" is a tag or version|":v2" is a tag or version/, /Leave it out \(alice\/model\)/],
    ['alice/model@sha256:' + 'a'.repeat(64), /is a tag or version/, /Leave it out/],
    ['/model', /owner is empty/, /owner\/name/],
    ['alice/', /model name is empty/, /owner\/name/],
  ])('refuses %j: says what is wrong and what to write', (input, why, hint) => {
    const e = thrown(() => parseDestination(input, REGISTRY));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(why);
    expect(e.hint).toMatch(hint);
  });

  it('refuses a name that makes an image name longer than Docker allows', () => {
    const e = thrown(() => parseDestination(`alice/${'a'.repeat(250)}`, REGISTRY));
    expect(e.message).toMatch(/longer than 255/);
  });
});

const gpu = (name: string, memoryTotalMiB: number, index = 0): Gpu => ({
  index,
  uuid: `GPU-${index}`,
  name,
  memoryTotalMiB,
  memoryUsedMiB: 0,
  driverVersion: '550.54.15',
  computeCapability: null,
  pciBusId: null,
});

function report(gpus: Gpu[]): HardwareReport {
  return {
    platform: 'linux',
    wsl: false,
    cpu: null,
    memoryBytes: null,
    gpus,
    nvidiaSmi: { status: gpus.length ? 'ok' : 'not_found', path: null, message: null, hint: null, details: null, computeCapNote: null },
    otherGpus: [],
    cpuOnly: gpus.length === 0,
    reason: null,
    hint: null,
    detectedAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('defaultHardware: the SKU matching this machine', () => {
  it('no NVIDIA GPU: cpu', () => {
    expect(defaultHardware(report([]))).toMatchObject({ sku: 'cpu', source: 'this-machine', reason: expect.stringMatching(/No NVIDIA GPU/) });
  });

  it('GPUs that are exactly a SKU: that SKU', () => {
    expect(defaultHardware(report([gpu('Tesla T4', 15109)])).sku).toBe('gpu-t4');
    expect(defaultHardware(report([gpu('NVIDIA H100 80GB HBM3', 81559)])).sku).toBe('gpu-h100');
    expect(defaultHardware(report([gpu('NVIDIA L40S', 46068, 0), gpu('NVIDIA L40S', 46068, 1)])).sku).toBe('gpu-l40s-2x');
  });

  it('GPUs no SKU has: the nearest by GPU memory, and the reason says so', () => {
    const h = defaultHardware(report([gpu('NVIDIA GeForce RTX 4090', 24564)]));
    expect(h.sku).toBe('gpu-t4');
    expect(h.reason).toMatch(/no exact match.*Using gpu-t4\./);
  });
});

describe('checkHardware: against the SKUs Replicate offers', () => {
  const offered = [
    { sku: 'cpu', name: 'CPU' },
    { sku: 'gpu-t4', name: 'Nvidia T4 GPU' },
    { sku: 'gpu-l40s-2x', name: '2x Nvidia L40S GPU' },
  ];

  it('takes an offered SKU with its name, in the list\'s spelling', () => {
    expect(checkHardware({ sku: 'gpu-t4', name: null, source: 'requested', reason: '' }, offered)).toMatchObject({ sku: 'gpu-t4', name: 'Nvidia T4 GPU' });
    expect(checkHardware({ sku: 'gpu-2x-l40s', name: null, source: 'requested', reason: '' }, offered).sku).toBe('gpu-l40s-2x');
  });

  it('refuses one that is not offered, listing those that are; for this machine\'s SKU it says so', () => {
    const asked = thrown(() => checkHardware({ sku: 'gpu-h200', name: null, source: 'requested', reason: '' }, offered));
    expect(asked.message).toBe('Replicate does not offer the hardware "gpu-h200"');
    expect(asked.hint).toBe('Pick one with --hardware: cpu, gpu-t4, gpu-l40s-2x.');
    const mine = thrown(() => checkHardware({ sku: 'gpu-h100', name: null, source: 'this-machine', reason: '' }, offered));
    expect(mine.message).toMatch(/This machine matches gpu-h100, which Replicate does not offer/);
  });
});

describe('checkOwner: the account behind the API token', () => {
  const dest = parseDestination('alice/model', REGISTRY);
  const model = (owner: string): RemoteModel => ({
    id: `${owner}/model`,
    owner,
    name: 'model',
    url: null,
    description: null,
    visibility: 'public',
    isOfficial: false,
    githubUrl: null,
    paperUrl: null,
    licenseUrl: null,
    coverImageUrl: null,
    runCount: 0,
    createdAt: null,
    latestVersion: null,
    defaultExample: null,
  });

  it('the account\'s own model, existing or not, is fine', () => {
    expect(() => checkOwner(dest, 'alice', null)).not.toThrow();
    expect(() => checkOwner(dest, 'alice', model('alice'))).not.toThrow();
    expect(() => checkOwner(dest, 'Alice', model('alice'))).not.toThrow();
  });

  it('a model to create for another owner: refused, pointing at the account', () => {
    const e = thrown(() => checkOwner(dest, 'bob', null));
    expect(e.message).toBe('Cannot create alice/model: new models can only be created for bob, the account of your API token, not for alice');
    expect(e.hint).toMatch(/Push to bob\/model/);
  });

  it('a model that exists with another owner: refused', () => {
    const e = thrown(() => checkOwner(dest, 'bob', model('alice')));
    expect(e.message).toBe('alice/model already exists and belongs to alice, not to bob (the account of your API token)');
    expect(e.hint).toMatch(/bob\/model/);
  });
});
