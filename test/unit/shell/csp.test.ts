import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSP, DEV_CSP, withDevCsp } from '../../../src/main/csp';

const ROOT = resolve(__dirname, '../../..');
const metaPolicy = (html: string) => /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
const directive = (policy: string, name: string) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));

describe("the window's Content-Security-Policy", () => {
  it('gives the built app no file: and no websocket, only the app itself, data: and https images', () => {
    expect(CSP).not.toMatch(/file:|ws:|wss:|\*|'unsafe-eval'/);
    expect(directive(CSP, 'connect-src')).toBe("connect-src 'self'");
    expect(directive(CSP, 'img-src')).toBe("img-src 'self' data: https:");
    expect(directive(CSP, 'media-src')).toBe("media-src 'self' data: https:");
    expect(directive(CSP, 'script-src')).toBe("script-src 'self'");
    expect(directive(CSP, 'object-src')).toBe("object-src 'none'");
    expect(directive(CSP, 'frame-src')).toBe("frame-src 'none'");
  });

  it('lets only the dev server open its hot-reload socket', () => {
    expect(directive(DEV_CSP, 'connect-src')).toBe("connect-src 'self' ws://localhost:*");
    expect(DEV_CSP.replace(' ws://localhost:*', '')).toBe(CSP);
  });

  it('is the policy in the meta tag of src/renderer/index.html, which the dev server swaps for the dev one', () => {
    const html = readFileSync(resolve(ROOT, 'src/renderer/index.html'), 'utf8');
    expect(metaPolicy(html)).toBe(CSP);
    expect(metaPolicy(withDevCsp(html))).toBe(DEV_CSP);
  });

  it('stops the dev server when the page carries another policy than csp.ts', () => {
    expect(() => withDevCsp('<meta http-equiv="Content-Security-Policy" content="default-src *">')).toThrow(/must carry the policy of src\/main\/csp\.ts/);
  });
});
