// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { isSafeImageSource, renderMarkdown } from '../../../src/renderer/src/lib/markdown';

/** The few DOM calls used here (jsdom provides them; the node tsconfig has no DOM library). */
interface El {
  innerHTML: string;
  querySelectorAll(selector: string): Iterable<{ getAttribute(name: string): string | null }>;
}
const document = (globalThis as unknown as { document: { createElement(tag: string): El } }).document;

function imageSources(markdown: string): Array<string | null> {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(markdown);
  return [...div.querySelectorAll('img')].map((i) => i.getAttribute('src'));
}

// A README must not make the window reach into this machine or the local network (a GET to a router, a
// local admin page, a dev server): only public https hosts, or images inside the README itself.
const REFUSED = [
  'http://replicate.delivery/a.png',
  'https://localhost/a.png',
  'https://LOCALHOST./a.png',
  'https://api.localhost/a.png',
  'https://printer.local/a.png',
  'https://nas/a.png',
  'https://127.0.0.1/a.png',
  'https://127.8.9.10:8443/a.png',
  'https://2130706433/a.png', // 127.0.0.1 as one number
  'https://0x7f.1/a.png', // 127.0.0.1 in hex
  'https://0.0.0.0/a.png',
  'https://10.0.0.1/a.png',
  'https://172.16.0.1/a.png',
  'https://172.31.255.255/a.png',
  'https://192.168.1.1/a.png',
  'https://169.254.169.254/latest/meta-data',
  'https://[::1]/a.png',
  'https://[::]/a.png',
  'https://[fc00::1]/a.png',
  'https://[fd12:3456::1]/a.png',
  'https://[fe80::1]/a.png',
  'https://[::ffff:127.0.0.1]/a.png',
  'https://[::ffff:192.168.0.1]/a.png',
  'https://user:pw@replicate.delivery/a.png',
  'file:///etc/passwd',
  'javascript:alert(1)',
  '//replicate.delivery/a.png',
  'a.png',
];
const ALLOWED = [
  'https://replicate.delivery/pbxt/abc/out.png',
  'https://example.com:8443/a.png',
  'https://172.32.0.1/a.png', // just outside 172.16/12
  'https://8.8.8.8/a.png',
  'https://[2606:4700::1111]/a.png',
  ' data:image/png;base64,iVBORw0KGgo=',
];

describe('README images: only public https hosts (and data:image)', () => {
  it.each(REFUSED)('refuses %s', (src) => {
    expect(isSafeImageSource(src)).toBe(false);
  });

  it.each(ALLOWED)('allows %s', (src) => {
    expect(isSafeImageSource(src)).toBe(true);
  });

  it('drops the src of every refused image in a rendered README and keeps the public ones', () => {
    const markdown = [...REFUSED, ...ALLOWED].map((src, i) => `<img alt="${i}" src="${src}">`).join('\n');
    const srcs = imageSources(markdown);
    expect(srcs.slice(0, REFUSED.length)).toEqual(REFUSED.map(() => null));
    expect(srcs.slice(REFUSED.length)).toEqual(ALLOWED.map((s) => s.trim()));
  });

  it('drops loopback and private images written as Markdown too', () => {
    expect(imageSources('![a](https://127.0.0.1:5190/v1/files) ![b](https://192.168.0.1/x.png) ![c](https://replicate.delivery/c.png)')).toEqual([
      null,
      null,
      'https://replicate.delivery/c.png',
    ]);
  });
});
