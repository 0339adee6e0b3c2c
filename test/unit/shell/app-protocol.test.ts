import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, rendererOrigin, serveRenderer } from '../../../src/main/app-protocol';
import { CSP } from '../../../src/main/csp';

describe('which URLs are the app itself', () => {
  const app = rendererOrigin(null);
  const dev = rendererOrigin('http://localhost:5173/');

  it('loads the built app from app://cogdesk, the dev server only when one is given', () => {
    expect(app.entry).toBe('app://cogdesk/index.html');
    expect(app.dev).toBe(false);
    expect(dev.entry).toBe('http://localhost:5173/');
    expect(dev.dev).toBe(true);
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });

  it.each([`${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets/index.js#x`])('trusts %s in the built app', (url) => {
    expect(app.isTrusted(url)).toBe(true);
  });

  // What the old substring match (`file://` + `/out/renderer/`) let through, and other look-alikes.
  it.each([
    'file:///home/me/Downloads/out/renderer/evil.html',
    'file:///work/main/out/renderer/index.html',
    'file://attacker.example/share/out/renderer/index.html',
    'https://evil.example/out/renderer/',
    'app://cogdesk.evil.example/index.html',
    'app://cogdesk@evil.example/index.html',
    'app://user:pw@cogdesk/index.html',
    'app://other/index.html',
    'apps://cogdesk/index.html',
    'http://localhost:5173/',
    'not a url',
    '',
  ])('does not trust %s in the built app', (url) => {
    expect(app.isTrusted(url)).toBe(false);
  });

  it('trusts exactly the dev server origin in development, not a prefix of it', () => {
    expect(dev.isTrusted('http://localhost:5173/index.html')).toBe(true);
    expect(dev.isTrusted('http://localhost:5173.evil.example/')).toBe(false);
    expect(dev.isTrusted('http://localhost:51730/')).toBe(false);
    expect(dev.isTrusted('http://localhost:5173@evil.example/')).toBe(false);
    expect(dev.isTrusted('https://localhost:5173/')).toBe(false);
    expect(dev.isTrusted(`${APP_ORIGIN}/index.html`)).toBe(false);
  });

  it('refuses a dev server address that is not http(s)', () => {
    expect(() => rendererOrigin('file:///tmp/index.html')).toThrow(/ELECTRON_RENDERER_URL must be the dev server's http\(s\) URL/);
  });
});

describe('app:// serves the built renderer folder and nothing else', () => {
  let base: string;
  let root: string;
  let serve: (request: Request) => Promise<Response>;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'cogdesk-app-protocol-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Cogdesk</title>');
    writeFileSync(join(root, 'assets', 'index-1.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index-1.css'), 'body{}');
    writeFileSync(join(base, 'secret.txt'), 'the token');
    mkdirSync(join(base, 'renderer-other'));
    writeFileSync(join(base, 'renderer-other', 'x.txt'), 'beside the root');
    serve = serveRenderer(root, CSP);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('answers the entry page and its assets with their types, the CSP and nosniff', async () => {
    const page = await serve(new Request('app://cogdesk/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Cogdesk</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await serve(new Request('app://cogdesk/'))).status).toBe(200);
    const script = await serve(new Request('app://cogdesk/assets/index-1.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await serve(new Request('app://cogdesk/assets/index-1.css'))).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://cogdesk/..%2fsecret.txt',
    'app://cogdesk/assets/..%2f..%2fsecret.txt',
    'app://cogdesk/%2e%2e%2fsecret.txt',
    'app://cogdesk/..%5csecret.txt',
    'app://cogdesk/%2e%2e/renderer-other/x.txt',
    'app://cogdesk/..%2frenderer-other%2fx.txt',
    'app://cogdesk/%2fetc%2fpasswd',
    'app://cogdesk//etc/passwd',
    'app://cogdesk/index.html%00.js',
  ])('never answers a file outside the folder: %s', async (url) => {
    const res = await serve(new Request(url));
    expect([403, 404]).toContain(res.status);
    const text = await res.text();
    expect(text).not.toContain('the token');
    expect(text).not.toContain('beside the root');
    expect(text).not.toContain('root:');
  });

  it('says what is missing, and answers only app://cogdesk and GET', async () => {
    const missing = await serve(new Request('app://cogdesk/nope.js'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('No such file in the app: /nope.js');
    expect((await serve(new Request('app://cogdesk/assets'))).status).toBe(404);
    expect((await serve(new Request('app://other/index.html'))).status).toBe(404);
    expect((await serve(new Request('app://cogdesk/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await serve(new Request('app://cogdesk/%E0%A4%A'))).status).toBe(400);
  });
});
