/**
 * Which strings of a cloud prediction's output are its files (downloaded into the data folder): URLs on
 * Replicate's file host or the API's origin; any other URL a model writes is its text and is never fetched.
 */
import { describe, expect, it } from 'vitest';
import { isOutputFileUrl } from '../../../src/main/core/remote/cloud-outputs';

const API = 'https://api.replicate.com/v1';

describe('a cloud output file', () => {
  it('is a URL on replicate.delivery (or a subdomain) or on the API in use', () => {
    expect(isOutputFileUrl('https://replicate.delivery/pbxt/gDoc64M9pRaQ/out-0.png', API)).toBe(true);
    expect(isOutputFileUrl('https://tjzk.replicate.delivery/models/out.webp', API)).toBe(true);
    expect(isOutputFileUrl('https://api.replicate.com/v1/files/abc', API)).toBe(true);
    expect(isOutputFileUrl('http://127.0.0.1:5190/delivery/x/out.txt', 'http://127.0.0.1:5190/v1')).toBe(true);
  });

  it('is never another host a model names, nor text with a URL in it', () => {
    expect(isOutputFileUrl('https://example.com/tracker.png', API)).toBe(false);
    expect(isOutputFileUrl('https://replicate.delivery.example.com/x.png', API)).toBe(false);
    expect(isOutputFileUrl('see https://replicate.delivery/x.png', API)).toBe(false);
    expect(isOutputFileUrl('hello', API)).toBe(false);
  });
});
