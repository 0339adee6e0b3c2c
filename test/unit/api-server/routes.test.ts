import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../../src/main/core/api-server/routes';

describe('the route table', () => {
  it.each([
    ['POST', '/predictions', []],
    ['GET', '/predictions/abc123', ['abc123']],
    ['POST', '/predictions/abc123/cancel', ['abc123']],
    ['GET', '/predictions/abc123/stream', ['abc123']],
    ['POST', '/models/fixtures/echo/predictions', ['fixtures', 'echo']],
    ['GET', '/models/fixtures/echo/versions/' + 'a'.repeat(64), ['fixtures', 'echo', 'a'.repeat(64)]],
    ['GET', '/files/abcdefghijklmnopqrstuvwxyz/download', ['abcdefghijklmnopqrstuvwxyz']],
    ['GET', '/outputs/abc/output%20file.png', ['abc', 'output file.png']],
    ['GET', '/hardware', []],
  ])('%s %s', (method, path, params) => {
    const m = matchRoute(method, path);
    expect(m && 'route' in m ? m.params : m).toEqual(params);
  });

  it('says which methods a known path takes, and nothing for an unknown one', () => {
    expect(matchRoute('DELETE', '/predictions')).toEqual({ allowed: ['POST', 'GET'] });
    expect(matchRoute('GET', '/collections')).toBeNull();
    expect(matchRoute('GET', '/predictions/UPPER')).toBeNull();
    expect(matchRoute('GET', '/outputs/a/%E0%A4%A')).toBeNull();
  });
});
