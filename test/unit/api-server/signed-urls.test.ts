/** Signed URLs: a day's expiry, one signature, a clear refusal once expired. */
import { describe, expect, it } from 'vitest';
import { deriveSecrets } from '../../../src/main/core/api-server/auth';
import { ApiProblem } from '../../../src/main/core/api-server/problem';
import { checkSignedUrl, signUrl, urlExpiry } from '../../../src/main/core/api-server/signed-urls';

const { signingKey: key } = deriveSecrets('cogdesk_guards-test-token-guards-test-token');

describe('signed URLs', () => {
  const now = Date.parse('2025-06-01T12:34:56Z');
  const expiry = urlExpiry(now);
  const url = (query: string) => new URL(`http://127.0.0.1:5190/v1/outputs/p/o.png?${query}`);
  const good = `expiry=${expiry}&signature=${signUrl(key, 'outputs/p/o.png', expiry)}`;

  it('last a day, to the next full hour', () => {
    expect(new Date(expiry * 1000).toISOString()).toBe('2025-06-02T13:00:00.000Z');
  });

  it('take exactly one valid signature for what they name, until they expire', () => {
    expect(checkSignedUrl(key, url(good), 'outputs/p/o.png', '', now)).toBe(true);
    expect(checkSignedUrl(key, url(good), 'outputs/p/other.png', '', now)).toBe(false);
    expect(checkSignedUrl(key, url(`expiry=${expiry + 1}&signature=${signUrl(key, 'outputs/p/o.png', expiry)}`), 'outputs/p/o.png', '', now)).toBe(false);
    expect(checkSignedUrl(key, url(`signature=${signUrl(key, 'outputs/p/o.png', expiry)}`), 'outputs/p/o.png', '', now)).toBe(false);
    expect(checkSignedUrl(key, url(`expiry=${expiry}`), 'outputs/p/o.png', '', now)).toBe(false);
    const twice = () => checkSignedUrl(key, url(`${good}&signature=x`), 'outputs/p/o.png', '', now);
    expect(twice).toThrow(ApiProblem);
    expect(twice).toThrow('The URL carries 2 "signature" parameters; a signed URL has exactly one');
    expect(() => checkSignedUrl(key, url(`${good}&expiry=1`), 'outputs/p/o.png', '', now)).toThrow('2 "expiry" parameters');
    const late = () => checkSignedUrl(key, url(good), 'outputs/p/o.png', 'Get it again.', expiry * 1000);
    expect(late).toThrow('This signed URL expired at 2025-06-02T13:00:00.000Z');
    try {
      late();
    } catch (e) {
      expect((e as ApiProblem).status).toBe(403);
      expect((e as ApiProblem).body().detail).toContain('Get it again.');
    }
  });
});
