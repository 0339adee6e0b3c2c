// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/renderer/src/lib/markdown';

/** The few DOM calls used here (jsdom provides them; the node tsconfig has no DOM library). */
interface El {
  textContent: string | null;
  innerHTML: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
}
const document = (globalThis as unknown as { document: { createElement(tag: string): El } }).document;

function dom(html: string): El {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown (READMEs from Replicate, sanitized)', () => {
  it('renders Markdown: headings, emphasis, code, links, https images', () => {
    const el = dom(renderMarkdown('# echo\n\nSays **hello**.\n\n```\ncog predict\n```\n\n[site](https://example.com) ![cover](https://example.com/a.png)'));
    expect(el.querySelector('h1')?.textContent).toBe('echo');
    expect(el.querySelector('strong')?.textContent).toBe('hello');
    expect(el.querySelector('pre code')?.textContent).toContain('cog predict');
    const a = el.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://example.com');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(el.querySelector('img')?.getAttribute('src')).toBe('https://example.com/a.png');
  });

  it('drops scripts, frames, objects, forms and styles', () => {
    const html = renderMarkdown(
      'hi\n\n<script>window.pwned = 1</script>\n\n<iframe src="https://evil.example"></iframe><frameset><frame src="x"></frameset>\n\n<object data="x"></object><embed src="x"><form action="https://x"><input name="a"><button>go</button></form><style>body{display:none}</style>',
    );
    expect(html).not.toMatch(/<script|<iframe|<frame|<object|<embed|<form|<input|<button|<style/i);
    expect(html).not.toContain('pwned');
    expect(html).toContain('hi');
  });

  it('drops event handlers and javascript: links', () => {
    const html = renderMarkdown('<img src="https://x.example/a.png" onerror="alert(1)"> <a href="javascript:alert(1)" onclick="alert(2)">x</a> <div onmouseover="alert(3)">d</div>\n\n[y](javascript:alert(4))');
    expect(html).not.toMatch(/onerror|onclick|onmouseover|javascript:/i);
    expect(dom(html).querySelector('img')?.getAttribute('src')).toBe('https://x.example/a.png');
  });

  it('allows images only from https: and data:image', () => {
    const el = dom(renderMarkdown('![a](http://insecure/a.png) ![b](file:///etc/passwd) ![c](data:image/png;base64,iVBORw0KGgo=) ![d](https://ok.example/d.png) <img src="x.png" srcset="https://ok.example/1.png 1x">'));
    const srcs = [...el.querySelectorAll('img')].map((i) => i.getAttribute('src'));
    expect(srcs).toEqual([null, null, 'data:image/png;base64,iVBORw0KGgo=', 'https://ok.example/d.png', null]);
    expect(el.querySelector('img[srcset]')).toBeNull();
  });
});
