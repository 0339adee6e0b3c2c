/** Served files (files.ts sendFile): which types must be downloads, and the headers they go out with. */
import { describe, expect, it } from 'vitest';
import { attachment, isActiveType, safeContentType } from '../../../src/main/core/api-server/files';

describe('served files', () => {
  it('are downloads unless a browser shows them without running anything', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/javascript', 'text/javascript', 'application/pdf', 'text/html; charset=utf-8', 'IMAGE/SVG+XML', 'application/x-unknown']) {
      expect(isActiveType(t), t).toBe(true);
    }
    for (const t of ['image/png', 'image/jpeg', 'image/webp', 'audio/wav', 'video/mp4', 'text/plain; charset=utf-8', 'application/json', 'application/octet-stream']) {
      expect(isActiveType(t), t).toBe(false);
    }
  });

  it('send a declared type only when it is well formed', () => {
    expect(safeContentType('text/plain; charset=utf-8')).toBe('text/plain; charset=utf-8');
    expect(safeContentType('text/html\r\nSet-Cookie: a=b')).toBe('application/octet-stream');
    expect(safeContentType('nonsense')).toBe('application/octet-stream');
  });

  it('name the download safely', () => {
    expect(attachment('a.svg')).toBe(`attachment; filename="a.svg"; filename*=UTF-8''a.svg`);
    expect(attachment('ü "x".html')).toBe(`attachment; filename="_ _x_.html"; filename*=UTF-8''%C3%BC%20%22x%22.html`);
  });
});
