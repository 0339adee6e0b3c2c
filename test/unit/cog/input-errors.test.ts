/**
 * explainInputDownloadError on the errors Cog servers give when an input URL cannot be downloaded. The
 * urllib texts are what the fixture server (test/fixtures/cog-server/server.py) answered in a container;
 * the requests texts are what Cog's own URLFile (requests.get) raises.
 */
import { describe, expect, it } from 'vitest';
import { explainInputDownloadError } from '../../../src/main/core/cog/input-errors';

const REFUSED_URLLIB = '<urlopen error [Errno 111] Connection refused>';
const DNS_URLLIB = '<urlopen error [Errno -3] Temporary failure in name resolution>';
const REFUSED_REQUESTS =
  "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: /in.png (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1d5e50>: Failed to establish a new connection: [Errno 111] Connection refused'))";
const DNS_REQUESTS =
  "HTTPSConnectionPool(host='files.example.invalid', port=443): Max retries exceeded with url: /a/b.jpg?x=1 (Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve 'files.example.invalid' ([Errno -2] Name or service not known)\"))";

describe('explainInputDownloadError', () => {
  it('connection refused (urllib, the fixture server): names the field and URL, and that 127.0.0.1 is the container', () => {
    const m = explainInputDownloadError(REFUSED_URLLIB, { image: 'http://127.0.0.1:9/x.txt', api_key: 'x' });
    expect(m).toBe(
      'The model could not download image from http://127.0.0.1:9/x.txt: connection refused. Check that the URL is reachable from a container: inside the container 127.0.0.1 and localhost are the container itself, not this machine.',
    );
  });

  it('connection refused (requests, as Cog raises it): the field whose URL the error names', () => {
    const input = { mask: 'https://cdn.example.com/mask.png', image: 'http://127.0.0.1:9/in.png' };
    expect(explainInputDownloadError(REFUSED_REQUESTS, input)).toMatch(/^The model could not download image from http:\/\/127\.0\.0\.1:9\/in\.png: connection refused\. /);
  });

  it('a host name that does not resolve', () => {
    expect(explainInputDownloadError(DNS_URLLIB, { image: 'http://no-such-host.invalid/x.txt' })).toBe(
      'The model could not download image from http://no-such-host.invalid/x.txt: the host name could not be resolved. Check that the URL is reachable from a container.',
    );
    const input = { images: ['https://ok.example.com/a.jpg', 'https://files.example.invalid/a/b.jpg?x=1'] };
    expect(explainInputDownloadError(DNS_REQUESTS, input)).toBe(
      'The model could not download images from https://files.example.invalid/a/b.jpg?x=1: the host name could not be resolved. Check that the URL is reachable from a container.',
    );
  });

  it('an HTTP error status, from urllib and from requests', () => {
    expect(explainInputDownloadError('HTTP Error 404: Not Found', { image: 'https://example.com/gone.png' })).toMatch(
      /^The model could not download image from https:\/\/example\.com\/gone\.png: the server answered 404 Not Found\./,
    );
    expect(
      explainInputDownloadError('403 Client Error: Forbidden for url: https://example.com/private.png', { image: 'https://example.com/private.png' }),
    ).toMatch(/: the server answered 403 Forbidden\./);
  });

  it('several URLs and an error that names none of them: lists them all', () => {
    const m = explainInputDownloadError('<urlopen error timed out>', { a: 'https://one.example/1', b: 'https://two.example/2' });
    expect(m).toBe(
      'The model could not download one of its input files (a from https://one.example/1, or b from https://two.example/2): the connection timed out. Check that the URL is reachable from a container.',
    );
  });

  it('null for failures that are not an input download', () => {
    expect(explainInputDownloadError('boom: q', { text: 'q' })).toBeNull();
    expect(explainInputDownloadError(null, { image: 'http://x/y' })).toBeNull();
    // A download error, but the input has no URL (the model fetched something of its own).
    expect(explainInputDownloadError(REFUSED_URLLIB, { image: 'data:text/plain;base64,aGk=' })).toBeNull();
    // requests naming a host that is not one of the input's URLs: the model's own fetch.
    expect(explainInputDownloadError(REFUSED_REQUESTS.replace("host='127.0.0.1'", "host='weights.internal'"), { image: 'https://example.com/a.png' })).toBeNull();
  });
});
