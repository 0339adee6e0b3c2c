import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVersionSchema } from '../../../src/shared/schema';
import { cliCommand, shellQuote } from '../../../src/renderer/src/lib/cli';
import { formFields } from '../../../src/renderer/src/form/fields';

const schema = (name: string) => parseVersionSchema(readFileSync(fileURLToPath(new URL(`../../fixtures/cog-openapi/${name}`, import.meta.url)), 'utf8'));

describe('Copy as CLI command', () => {
  it('quotes for a POSIX shell only when needed', () => {
    expect(shellQuote('127.0.0.1:5100/fixtures/echo:latest')).toBe('127.0.0.1:5100/fixtures/echo:latest');
    expect(shellQuote('text=a red fox')).toBe("'text=a red fox'");
    expect(shellQuote("text=it's")).toBe("'text=it'\\''s'");
    expect(shellQuote('text=$HOME')).toBe("'text=$HOME'");
  });

  it('echo: leaves defaults out, quotes values with spaces', () => {
    const fields = formFields(schema('openapi.json'));
    expect(cliCommand('r8.im/a/b@sha256:abc', fields, { text: 'a red fox', times: 2, style: 'shout' })).toBe(
      "cogdesk run r8.im/a/b@sha256:abc -i 'text=a red fox' -i style=shout",
    );
  });

  it('files: a picked file as @name, a kept file by its path, a URL as it is', () => {
    const fields = formFields(schema('openapi-file.json'));
    const uri = 'data:image/png;base64,AAAA';
    expect(cliCommand('img', fields, { image: uri }, { image: { value: uri, name: 'my photo.png' } })).toBe("cogdesk run img -i 'image=@my photo.png'");
    expect(cliCommand('img', fields, { image: '/data/inputs/x.png' })).toBe('cogdesk run img -i image=@/data/inputs/x.png');
    expect(cliCommand('img', fields, { image: 'https://example.com/x.png', api_key: 'k2' })).toBe(
      'cogdesk run img -i image=https://example.com/x.png -i api_key=k2',
    );
  });

  it('types: a secret becomes a shell variable, lists repeat their key, nulls are left out', () => {
    const fields = formFields(schema('openapi-types.json'));
    expect(cliCommand('img', fields, { token: 'hunter2', seed: null, mode: 4, tags: ['a b', 'c'], flag: true })).toBe(
      `cogdesk run img -i "token=$TOKEN" -i mode=4 -i 'tags=a b' -i tags=c -i flag=true`,
    );
  });
});
