import { describe, expect, it } from 'vitest';
import { parseDestination } from '../../../src/main/core/push/destination';
import { suggestDestination } from '../../../src/renderer/src/lib/destination';

describe('the push dialog\'s first destination', () => {
  it('is where the version went before, else the account\'s model of the same name, else the local name', () => {
    expect(suggestDestination('docker.io/cogdesk-push-test/e2e-1', { account: 'alice', pushedTo: 'alice/earlier' })).toBe('alice/earlier');
    expect(suggestDestination('docker.io/cogdesk-push-test/e2e-1', { account: 'alice' })).toBe('alice/e2e-1');
    expect(suggestDestination('docker.io/cogdesk-push-test/e2e-1')).toBe('cogdesk-push-test/e2e-1');
    expect(suggestDestination('r8.im-model-id', { account: 'alice' })).toBe('alice/r8.im-model-id');
  });

  it('follows the naming rules the push checks, whatever the local name', () => {
    for (const local of ['localhost:5000/My Model', 'cog-My__Weird..Name--', 'x/__', 'a/b/Stable Diffusion XL 1.0']) {
      const suggested = suggestDestination(local, { account: 'alice' });
      expect(() => parseDestination(suggested, 'r8.im'), `${local} -> ${suggested}`).not.toThrow();
    }
    expect(suggestDestination('a/b/Stable Diffusion XL 1.0', { account: 'alice' })).toBe('alice/stable-diffusion-xl-1.0');
    expect(suggestDestination('x/__', { account: 'alice' })).toBe('alice/my-model');
  });
});
