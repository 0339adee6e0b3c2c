import DOMPurify from 'dompurify';
import ipaddr from 'ipaddr.js';
import { marked } from 'marked';

const FORBID_TAGS = ['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'style', 'link', 'meta', 'base'];
const DATA_IMAGE = /^data:image\//i;
/** Names that only mean something on this machine or the local network. */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/;

/**
 * True for an image a README may show: a data:image, or an https URL of a public host. Never http:, never
 * this machine or the local network (loopback, private, link-local, unique-local ranges, IPv4 inside IPv6,
 * localhost names, single-label intranet names): a README must not make the window probe the user's network.
 */
export function isSafeImageSource(src: string): boolean {
  const value = src.trim();
  if (DATA_IMAGE.test(value)) return true;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  // The URL parser has already turned 0x7f.1, 2130706433 and the like into dotted IPv4.
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (ipaddr.isValid(host)) return ipaddr.process(host).range() === 'unicast';
  return host.includes('.') && !LOCAL_NAME.test(host);
}
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
      if (!isSafeImageSource(src)) el.removeAttribute('src');
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
 * no frames, no forms, no event handlers or style blocks; images only from public https hosts or data:image; links only
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
