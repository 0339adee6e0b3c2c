/**
 * The window's Content-Security-Policy, in one place: the shell sends it as a header with every page of the
 * built app, src/renderer/index.html carries the same text in its meta tag (a test keeps the two equal), and
 * the page of the dev server (`npm run dev`) alone gets `ws://localhost:*` for Vite's hot reload. No `file:` anywhere: the app is served
 * from app://cogdesk, and prediction files reach the page as data: URIs through the contract.
 */

const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // README images from https hosts (the Markdown sanitizer narrows these to public hosts); files as data: URIs.
  "img-src 'self' data: https:",
  "media-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** The policy of the built app. */
export const CSP = DIRECTIVES.join('; ');

/** The policy while `npm run dev` serves the renderer: the same, plus the dev server's hot-reload socket. */
export const DEV_CSP = CSP.replace("connect-src 'self'", "connect-src 'self' ws://localhost:*");

/**
 * index.html as the dev server should serve it: its production policy swapped for the dev one. Throws when
 * the page does not carry the production policy, so the meta tag and this file cannot drift apart unseen.
 */
export function withDevCsp(html: string): string {
  if (!html.includes(`content="${CSP}"`)) {
    throw new Error(`src/renderer/index.html must carry the policy of src/main/csp.ts in its CSP meta tag: content="${CSP}"`);
  }
  return html.replace(`content="${CSP}"`, `content="${DEV_CSP}"`);
}
