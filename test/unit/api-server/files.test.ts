import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_LIFETIME_MS, FileStore, storedFileName } from '../../../src/main/core/api-server/files';
import { tempHome } from '../../helpers/core';

describe('uploaded files', () => {
  const { home, cleanup } = tempHome('cogdesk-files-');
  afterAll(() => cleanup());
  const store = new FileStore(join(home, 'api-files'));

  it.each([
    ['photo.png', 'image/png', 'photo.png'],
    ['buffer_1700000000', 'application/octet-stream', 'buffer_1700000000'],
    ['blob_1', 'image/png', 'blob_1.png'],
    ['../../etc/passwd', 'text/plain', 'passwd.txt'],
    ['C:\\Users\\x\\my photo (1).jpg', 'image/jpeg', 'my_photo_1_.jpg'],
    ['.hidden', 'text/plain', 'hidden.txt'],
    ['', 'audio/wav', 'file.wav'],
  ])('keeps %j (%s) as %j', (name, type, stored) => {
    expect(storedFileName(name, type)).toBe(stored);
  });

  it('keeps, finds, lists and deletes an upload, with its checksums', async () => {
    const f = await store.create(Buffer.from('hello world'), { name: 'hello.txt', contentType: 'text/plain', metadata: { a: 1 } });
    expect(f.id).toMatch(/^[a-z2-7]{26}$/);
    expect(f.checksums).toEqual({ sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', md5: '5eb63bbbe01eeed093cb22bb8f5acdc3' });
    expect(Date.parse(f.expires_at) - Date.parse(f.created_at)).toBe(FILE_LIFETIME_MS);
    const path = (await store.contentPath(f.id))!;
    expect(path).toBe(join(home, 'api-files', f.id, 'hello.txt'));
    expect(store.idForPath(path)).toBe(f.id);
    expect(store.idForPath(join(home, 'elsewhere', f.id, 'hello.txt'))).toBeNull();
    expect((await store.list()).map((x) => x.id)).toContain(f.id);
    expect(await store.get('../../x')).toBeNull();
    expect(await store.delete(f.id)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(await store.get(f.id)).toBeNull();
    expect(await store.delete(f.id)).toBe(false);
  });

  it('sweeps the uploads whose day is over, not before', async () => {
    const old = await store.create(Buffer.from('a'), { name: 'a', contentType: 'text/plain', metadata: {} });
    const later = Date.parse(old.expires_at) + 1;
    const fresh = await store.create(Buffer.from('b'), { name: 'b', contentType: 'text/plain', metadata: {} });
    expect(await store.sweep(Date.parse(old.expires_at) - 1)).toBe(0);
    expect(await store.get(old.id)).not.toBeNull();
    // Both were made now, so a moment after the first one's day is over, both are due.
    expect(await store.sweep(later + (Date.parse(fresh.expires_at) - Date.parse(old.expires_at)))).toBe(2);
    expect(await store.get(old.id)).toBeNull();
    expect(await store.get(fresh.id)).toBeNull();
  });
});
