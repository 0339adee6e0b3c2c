import DOMPurify from 'dompurify';
import { marked } from 'marked';

const FORBID_TAGS = ['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'link', 'meta', 'base'];
const SAFE_IMAGE = /^(https:|data:image\/)/i;
const SAFE_LINK = /^(https?:|mailto:|#)/i;

/** The element calls the hook uses (typed here so this file also compiles without the DOM library, for its unit test). */
interface Attributed {
  tagName: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
}

let hooked = false;
function hook(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as unknown as Attributed;
    if (el.tagName === 'IMG') {
      const src = el.getAttribute('src') ?? '';
      if (!SAFE_IMAGE.test(src.trim())) el.removeAttribute('src');
      el.removeAttribute('srcset');
    }
    if (el.tagName === 'A') {
      const href = el.getAttribute('href');
      if (href !== null && !SAFE_LINK.test(href.trim())) el.removeAttribute('href');
      if (el.hasAttribute('href')) {
        el.setAttribute('target', '_blank');
        el.setAttribute('rel', 'noopener noreferrer');
      }
    }
  });
}

/**
 * A README (Markdown from Replicate, written by anyone) as HTML that is safe to put in the page: no scripts,
 * no frames, no forms, no event handlers or style blocks; images only from https: or data:image; links only
 * http(s), mailto and anchors (the Electron shell opens http(s) links in the system browser).
 */
export function renderMarkdown(markdown: string): string {
  hook();
  const html = marked.parse(markdown, { async: false, gfm: true });
  return DOMPurify.sanitize(html, {
    FORBID_TAGS,
    FORBID_ATTR: ['style', 'srcset', 'formaction', 'action'],
    ALLOW_DATA_ATTR: false,
    ADD_ATTR: ['target'],
  });
}
