import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseVersionSchema } from '../../../src/shared/schema';
import { localApiModel, replicateModel } from '../../../src/renderer/src/lib/apiName';
import { codeSnippet, type CodeLanguage, type CodeTarget } from '../../../src/renderer/src/lib/code';
import { formFields, type FormField } from '../../../src/renderer/src/form/fields';

const schema = (name: string) => parseVersionSchema(readFileSync(fileURLToPath(new URL(`../../fixtures/cog-openapi/${name}`, import.meta.url)), 'utf8'));
const V = 'a'.repeat(64);
const local: CodeTarget = { kind: 'local', origin: 'http://127.0.0.1:5190', model: 'fixtures/echo', version: V, tokenFile: '/data/api-token' };
const remote: CodeTarget = { kind: 'replicate', model: 'acme/echo', version: V };

const dir = mkdtempSync(join(tmpdir(), 'cogdesk-code-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `node --check` on the snippet as an ES module: throws with node's message when it is not valid. */
function checkJavaScript(code: string): void {
  const file = join(dir, `snippet-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, code);
  execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' });
}

/** Python's own parser: the snippet parses, and answers the literal the input became (ast.literal_eval). */
function pythonInput(code: string): unknown {
  const script = [
    'import ast, json, sys',
    'tree = ast.parse(sys.stdin.read())',
    'call = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and any(k.arg == "input" for k in n.keywords)][0]',
    'node = [k.value for k in call.keywords if k.arg == "input"][0]',
    'class Env(ast.NodeTransformer):',
    '    def visit_Subscript(self, n):',
    '        return ast.Constant("$" + n.slice.value)',
    'print(json.dumps(ast.literal_eval(Env().visit(node))))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: code, encoding: 'utf8' }));
}

/** Runs the curl snippet in bash with `curl` a function that prints what it was given on standard input. */
function curlBody(code: string, env: Record<string, string> = {}): unknown {
  const out = execFileSync('bash', ['-c', `curl() { cat; }\n${code}`], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return JSON.parse(out);
}

describe('Copy as code', () => {
  const echo = formFields(schema('openapi.json'));

  it('JavaScript against the local API: the official client with the base URL and token placeholder', () => {
    expect(codeSnippet('javascript', local, echo, { text: 'a red fox', times: 2, style: 'shout' })).toBe(
      [
        'import Replicate from "replicate";',
        '',
        "// COGDESK_TOKEN: the local API's token, kept in /data/api-token",
        'const replicate = new Replicate({',
        '  auth: process.env.COGDESK_TOKEN,',
        '  baseUrl: "http://127.0.0.1:5190/v1",',
        '});',
        '',
        `const output = await replicate.run("fixtures/echo:${V}", {`,
        '  input: {',
        '    "text": "a red fox",',
        '    "style": "shout",',
        '  },',
        '});',
        'console.log(output);',
        '',
      ].join('\n'),
    );
  });

  it('Python against the local API: base URL without /v1, and against Replicate with the module-level client', () => {
    expect(codeSnippet('python', local, echo, { text: 'hi', times: 3 })).toBe(
      [
        'import os',
        '',
        'import replicate',
        '',
        "# COGDESK_TOKEN: the local API's token, kept in /data/api-token",
        'client = replicate.Client(',
        '    api_token=os.environ["COGDESK_TOKEN"],',
        '    base_url="http://127.0.0.1:5190",',
        ')',
        'output = client.run(',
        `    "fixtures/echo:${V}",`,
        '    input={',
        '        "text": "hi",',
        '        "times": 3,',
        '    },',
        ')',
        'print(output)',
        '',
      ].join('\n'),
    );
    const py = codeSnippet('python', remote, echo, { text: 'hi' });
    expect(py).toContain(`output = replicate.run(\n    "acme/echo:${V}",`);
    expect(py).not.toContain('import os');
    expect(py).not.toContain('base_url');
  });

  it('curl: the version and input as JSON on standard input, to the local API or to Replicate', () => {
    const code = codeSnippet('curl', local, echo, { text: 'hi' });
    expect(code).toContain('curl -s -X POST http://127.0.0.1:5190/v1/predictions \\\n  -H "Authorization: Bearer $COGDESK_TOKEN"');
    expect(curlBody(code)).toEqual({ version: V, input: { text: 'hi' } });
    const cloud = codeSnippet('curl', remote, echo, { text: 'hi' });
    expect(cloud).toContain('https://api.replicate.com/v1/predictions');
    expect(cloud).toContain('Bearer $REPLICATE_API_TOKEN');
  });

  // Text a shell or a parser could take for its own: quotes, $, backquotes, backslashes, new lines, the
  // here-document's delimiter on a line of its own, Python's triple quotes, non-ASCII.
  const tricky = `it's "quoted" $HOME \`id\` \\n back\\slash\nJSON\n''' """ ünï 🦊 \u2028 end`;

  it.each<[CodeLanguage, CodeTarget]>([
    ['javascript', local],
    ['javascript', remote],
    ['python', local],
    ['python', remote],
    ['curl', local],
    ['curl', remote],
  ])('%s (%o) parses, and sends exactly the input, secrets from the environment', (language, target) => {
    const types = formFields(schema('openapi-types.json'));
    const config: FormField = { name: 'config', label: 'config', widget: 'json', type: 'object', required: false, nullable: false, hasDefault: false };
    const fields = [...types, config];
    const input = { token: 'hunter2', seed: null, temperature: 0.7, mode: 4, tags: ['a b', tricky], flag: true, config: { nested: [1, 2.5, false, null, { deep: tricky }], empty: {} } };
    const sent = { mode: 4, tags: ['a b', tricky], flag: true, config: input.config };
    const code = codeSnippet(language, target, fields, input);
    expect(code).not.toContain('hunter2');
    if (language === 'javascript') {
      checkJavaScript(code);
      expect(code).toContain('"token": process.env.TOKEN,');
      // The input object, evaluated as JavaScript, is the input (with the secret read from the environment).
      const literal = code.slice(code.indexOf('input: ') + 'input: '.length, code.lastIndexOf('\n});'));
      const evaluated = new Function('process', `return ${literal.replace(/,\s*$/, '')};`)({ env: { TOKEN: 'from-env' } }) as unknown;
      expect(evaluated).toEqual({ token: 'from-env', ...sent });
    } else if (language === 'python') {
      expect(pythonInput(code)).toEqual({ token: '$TOKEN', ...sent });
      expect(code.startsWith('import os\n')).toBe(true);
    } else {
      expect(curlBody(code, { TOKEN: 'from-env' })).toEqual({ version: V, input: { token: 'from-env', ...sent } });
    }
  });

  it('file inputs go as the data: URIs or URLs they are', () => {
    const fields = formFields(schema('openapi-file.json'));
    const uri = 'data:image/png;base64,iVBORw0KGgo=';
    const js = codeSnippet('javascript', local, fields, { image: uri });
    expect(js).toContain(`"image": "${uri}",`);
    expect(curlBody(codeSnippet('curl', local, fields, { image: 'https://example.com/x.png' }))).toEqual({ version: V, input: { image: 'https://example.com/x.png' } });
  });
});

describe('model names in code', () => {
  it('the local API name: the registry host dropped, the last two segments, `local` for a single one', () => {
    const cases: Record<string, string> = {
      '127.0.0.1:5100/fixtures/echo': 'fixtures/echo',
      'ghcr.io/acme/team/upscaler': 'team/upscaler',
      'docker.io/library/ubuntu': 'library/ubuntu',
      'localhost:5000/echo': 'local/echo',
      'stability-ai/sdxl': 'stability-ai/sdxl',
    };
    for (const [id, name] of Object.entries(cases)) expect(localApiModel(id)).toBe(name);
  });

  it('only a model pulled from Replicate (an id with no registry host) has a Replicate name', () => {
    expect(replicateModel('stability-ai/sdxl')).toBe('stability-ai/sdxl');
    expect(replicateModel('black-forest-labs/flux-1.1-pro')).toBe('black-forest-labs/flux-1.1-pro');
    expect(replicateModel('127.0.0.1:5100/fixtures/echo')).toBeNull();
    expect(replicateModel('localhost/echo')).toBeNull();
    expect(replicateModel('docker.io/library/ubuntu')).toBeNull();
    expect(replicateModel('ghcr.io/acme/upscaler')).toBeNull();
  });
});
