import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVersionSchema } from '../../../src/shared/schema';
import { validateInput } from '../../../src/main/core/cog/validate';
import { fileToDataUri, mimeForPath, parseInputArgs, type ReadFile } from '../../../src/main/core/cog/input-parse';
import { rejection } from '../../helpers/errors';

const load = (name: string) =>
  parseVersionSchema(readFileSync(fileURLToPath(new URL(`../../fixtures/cog-openapi/${name}`, import.meta.url)), 'utf8'));

const echo = load('openapi.json');
const types = load('openapi-types.json');
const file = load('openapi-file.json');
const sd = load('stable-diffusion-like.openapi.json');
const many = parseVersionSchema({
  openapi: '3.0.2',
  components: {
    schemas: {
      Input: {
        type: 'object',
        properties: {
          images: { type: 'array', items: { type: 'string', format: 'uri' } },
          counts: { type: 'array', items: { type: 'integer' } },
          opts: { type: 'object' },
          note: { type: 'string' },
        },
      },
    },
  },
});

/** A readFile that knows only the files given to it. */
const fakeFs =
  (files: Record<string, string>): ReadFile =>
  async (path) => {
    if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return { bytes: Buffer.from(files[path]), mime: mimeForPath(path) };
  };

describe('parseInputArgs: coercion by field type', () => {
  it('coerces integers and keeps strings as they are', async () => {
    expect(await parseInputArgs(['text=hello world', 'times=3', 'style=shout'], echo)).toEqual({
      text: 'hello world',
      times: 3,
      style: 'shout',
    });
  });

  it('keeps everything after the first "=" as the value', async () => {
    expect(await parseInputArgs(['text=a=b', 'style='], echo)).toEqual({ text: 'a=b', style: '' });
  });

  it('coerces numbers, integers, booleans (true/false/1/0) and integer choices', async () => {
    const input = await parseInputArgs(
      ['token=abc', 'seed=-5', 'temperature=0.25', 'mode=4', 'flag=TRUE'],
      types,
    );
    expect(input).toEqual({ token: 'abc', seed: -5, temperature: 0.25, mode: 4, flag: true });
    expect((await parseInputArgs(['flag=0'], types)).flag).toBe(false);
    expect((await parseInputArgs(['flag=1'], types)).flag).toBe(true);
    expect((await parseInputArgs(['flag=false'], types)).flag).toBe(false);
  });

  it('takes "null" for a nullable number field', async () => {
    expect(await parseInputArgs(['seed=null'], types)).toEqual({ seed: null });
  });

  it('leaves values that do not fit the type as strings, so that validation explains them', async () => {
    const input = await parseInputArgs(['token=t', 'seed=1.5', 'temperature=hot', 'flag=maybe'], types);
    expect(input).toEqual({ token: 't', seed: '1.5', temperature: 'hot', flag: 'maybe' });
    expect(validateInput(types, input).map((e) => e.message)).toEqual([
      'seed must be an integer or null, got "1.5"',
      'temperature must be a number, got "hot"',
      'flag must be true or false, got "maybe"',
    ]);
  });

  it('appends repeated keys to an array field, and takes a JSON array', async () => {
    expect(await parseInputArgs(['tags=a', 'tags=b c'], types)).toEqual({ tags: ['a', 'b c'] });
    expect(await parseInputArgs(['tags=["x","y"]', 'tags=z'], types)).toEqual({ tags: ['x', 'y', 'z'] });
    expect(await parseInputArgs(['counts=1', 'counts=[2,3]', 'counts="4"'], many)).toEqual({
      counts: [1, 2, 3, '"4"'],
    });
    expect(await parseInputArgs(['tags=[not json'], types)).toEqual({ tags: ['[not json'] });
  });

  it('parses JSON for an object field, and keeps bad JSON as a string for validation', async () => {
    expect(await parseInputArgs(['opts={"a":1,"b":[true]}'], many)).toEqual({ opts: { a: 1, b: [true] } });
    const input = await parseInputArgs(['opts={a:1}'], many);
    expect(input).toEqual({ opts: '{a:1}' });
    expect(validateInput(many, input)[0].message).toBe('opts must be an object, got "{a:1}"');
  });

  it('keeps a value for an unknown key as a string, so that validation names it', async () => {
    const input = await parseInputArgs(['text=hi', 'colour=@red.png'], echo);
    expect(input).toEqual({ text: 'hi', colour: '@red.png' });
    expect(validateInput(echo, input)[0]).toMatchObject({ field: 'colour', code: 'unknown' });
  });

  it('gives the last value of a repeated key that is not an array', async () => {
    expect(await parseInputArgs(['times=2', 'times=5'], echo)).toEqual({ times: 5 });
  });

  it('returns an empty input for no args', async () => {
    expect(await parseInputArgs([], sd)).toEqual({});
  });
});

describe('parseInputArgs: files', () => {
  it('reads key=@path into a data: URI for a file field', async () => {
    const input = await parseInputArgs(['image=@cat.png', 'api_key=k'], file, fakeFs({ 'cat.png': 'PNGDATA' }));
    expect(input).toEqual({ image: `data:image/png;base64,${Buffer.from('PNGDATA').toString('base64')}`, api_key: 'k' });
    expect(validateInput(file, input)).toEqual([]);
  });

  it('reads each @path of a file array', async () => {
    const read = fakeFs({ 'a.wav': 'A', 'b.txt': 'B' });
    const input = await parseInputArgs(['images=@a.wav', 'images=@b.txt', 'images=https://x.example/c.jpg'], many, read);
    expect(input.images).toEqual(['data:audio/wav;base64,QQ==', 'data:text/plain;base64,Qg==', 'https://x.example/c.jpg']);
  });

  it('does not treat @ as a file for a text field', async () => {
    expect(await parseInputArgs(['note=@someone hello'], many, fakeFs({}))).toEqual({ note: '@someone hello' });
  });

  it('keeps a URL or data: URI given to a file field as it is', async () => {
    expect(await parseInputArgs(['image=https://example.com/a.png'], file)).toEqual({ image: 'https://example.com/a.png' });
  });

  it('says which file is missing, and for which field', async () => {
    const e = await rejection(parseInputArgs(['image=@nope/missing.png'], file, fakeFs({})));
    expect(e.code).toBe('file_not_found');
    expect(e.message).toBe('No file at nope/missing.png (given for input "image")');
    expect(e.hint).toMatch(/relative path is read from the current folder/);
  });

  it('reads real files with the default reader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cogdesk-input-'));
    try {
      const path = join(dir, 'note.TXT');
      writeFileSync(path, 'hello');
      expect(await parseInputArgs([`image=@${path}`], file)).toEqual({ image: 'data:text/plain;base64,aGVsbG8=' });
      expect((await rejection(parseInputArgs([`image=@${join(dir, 'gone.png')}`], file))).code).toBe('file_not_found');
      const folder = await rejection(parseInputArgs([`image=@${dir}`], file));
      expect(folder.code).toBe('bad_request');
      expect(folder.hint).toBe('Give a file, not a folder.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseInputArgs: paths that are not files (issue 11, item 9)', () => {
  let dir = '';
  let fifo = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cogdesk-notfile-'));
    fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A FIFO with no writer would block a read forever: both the CLI (keepPaths) and the reader refuse it.
  it.each([
    ['keeping paths (the CLI)', { keepPaths: true }],
    ['reading the file', {}],
  ])('a named pipe, %s: refused at once, saying what it is', async (_, options) => {
    const e = await rejection(parseInputArgs([`image=@${fifo}`], file, undefined, options));
    expect(e.code).toBe('bad_request');
    expect(e.message).toBe(`${fifo} (given for input "image") is a named pipe (FIFO), not a file`);
    expect(e.hint).toMatch(/Only regular files can be sent/);
  });

  it('fileToDataUri (what the engine reads a CLI path with) refuses a named pipe too', async () => {
    const e = await rejection(fileToDataUri(fifo, 'image'));
    expect(e.message).toMatch(/is a named pipe \(FIFO\), not a file/);
  });

  it('a device: refused', async () => {
    const e = await rejection(parseInputArgs(['image=@/dev/zero'], file, undefined, { keepPaths: true }));
    expect(e.message).toBe('/dev/zero (given for input "image") is a character device, not a file');
  });

  it.each([['image=@'], ['image=@  ']])('%s (no path): "give a path after @", never the current folder', async (arg) => {
    for (const options of [{ keepPaths: true }, {}]) {
      const e = await rejection(parseInputArgs([arg], file, undefined, options));
      expect(e.code).toBe('bad_request');
      expect(e.message).toBe('Input "image=@" names no file: give a path after @');
      expect(e.hint).toContain('image=@photo.jpg');
    }
  });

  it('a folder, keeping paths: refused before anything is sent', async () => {
    const e = await rejection(parseInputArgs([`image=@${dir}`], file, undefined, { keepPaths: true }));
    expect(e.message).toBe(`${dir} (given for input "image") is a folder, not a file`);
    expect(e.hint).toBe('Give a file, not a folder.');
  });
});

describe('parseInputArgs: bad syntax', () => {
  it('rejects an arg without "=", with an example using the model\'s own fields', async () => {
    const e = await rejection(parseInputArgs(['hello'], file));
    expect(e.code).toBe('bad_request');
    expect(e.message).toBe('Cannot read the input "hello": write each input as key=value.');
    expect(e.hint).toBe('For example: -i api_key=hello -i image=@photo.jpg (NAME=@path sends a local file). Quote a value with spaces: -i "api_key=a red fox".');
    const e2 = await rejection(parseInputArgs(['=3'], echo));
    expect(e2.code).toBe('bad_request');
    expect(e2.hint).toContain('-i text=hello');
  });

  it('names only the inputs the model has: no file example for a model without a file input', async () => {
    const e = await rejection(parseInputArgs(['hello'], echo));
    expect(e.hint).toBe('For example: -i text=hello. Quote a value with spaces: -i "text=a red fox".');
    expect(e.hint).not.toContain('@');
  });
});

describe('fileToDataUri and mimeForPath', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cogdesk-datauri-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a local file into a data: URI', async () => {
    const path = join(dir, 'x.json');
    writeFileSync(path, '{"a":1}');
    expect(await fileToDataUri(path)).toBe(`data:application/json;base64,${Buffer.from('{"a":1}').toString('base64')}`);
  });

  it('throws file_not_found naming the path (and the field when given)', async () => {
    const path = join(dir, 'missing.mp3');
    const e = await rejection(fileToDataUri(path, 'audio'));
    expect(e.code).toBe('file_not_found');
    expect(e.message).toBe(`No file at ${path} (given for input "audio")`);
    expect((await rejection(fileToDataUri(path))).message).toBe(`No file at ${path}`);
  });

  it('knows common types, and falls back to application/octet-stream', () => {
    expect(mimeForPath('a.PNG')).toBe('image/png');
    expect(mimeForPath('/x/y.jpeg')).toBe('image/jpeg');
    expect(mimeForPath('song.mp3')).toBe('audio/mpeg');
    expect(mimeForPath('clip.webm')).toBe('video/webm');
    expect(mimeForPath('clip.mov')).toBe('video/quicktime');
    expect(mimeForPath('notes.txt')).toBe('text/plain');
    expect(mimeForPath('data.json')).toBe('application/json');
    expect(mimeForPath('weights.safetensors')).toBe('application/octet-stream');
    expect(mimeForPath('Makefile')).toBe('application/octet-stream');
  });
});
