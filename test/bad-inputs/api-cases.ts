/**
 * Bad requests to the local API and the answer each must get: the status, and fragments of what the
 * answer says (its `detail`, which folds in the hint). Run against a real server over real Cog models by
 * test/integration/api-server/bad-inputs.test.ts, on a server started with API_CASES_SERVER's limits.
 * Add a case here whenever a bad input is found; none of them may reach a model.
 */

/** What a case's body can refer to. */
export interface CaseContext {
  /** Version ids of the fixture models. */
  echo: string;
  file: string;
  /** The data folder. */
  home: string;
}

export interface ApiBadCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** A JSON body as text (so it can hold what JSON.stringify cannot write), or raw bytes. */
  body?: (c: CaseContext) => string;
  /** An upload to POST /v1/files of this many bytes. */
  uploadBytes?: number;
  status: number;
  /** Each must appear in the answer's detail. */
  says: string[];
  /** Must not appear in the answer's detail (a hint that would mislead). */
  neverSays?: string[];
  /** The field invalid_fields must name. */
  field?: string;
}

/** The limits of the server the cases run against (small, so that the 413 cases stay small). */
export const API_CASES_SERVER = { maxBodyBytes: 1024 * 1024, maxUploadBytes: 64 * 1024 };

const echoInput = (c: CaseContext, inputJson: string) => `{"version":"${c.echo}","input":${inputJson}}`;

export const API_BAD_CASES: ApiBadCase[] = [
  {
    name: 'an input nested 200,000 arrays deep',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, `{"text":${'['.repeat(200_000)}${']'.repeat(200_000)}}`),
    status: 400,
    says: ['nested more than 64 levels deep', 'flatter JSON'],
  },
  {
    name: 'an input nested 200,000 objects deep',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, `${'{"":'.repeat(200_000)}1${'}'.repeat(200_000)}`),
    status: 400,
    says: ['nested more than 64 levels deep'],
  },
  {
    name: 'brackets inside a string are not nesting',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, `{"text":"${'['.repeat(1000)}","times":11}`),
    status: 422,
    says: ['times'],
    field: 'times',
  },
  {
    name: 'no input at all',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => `{"version":"${c.echo}"}`,
    status: 422,
    says: ['input is required'],
    field: 'input',
  },
  {
    name: 'an input that is a list',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, '[1]'),
    status: 422,
    says: ['input must be an object'],
    field: 'input',
  },
  {
    name: 'a number too large for a float (1e309, which JSON.parse makes Infinity)',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, '{"text":"x","times":1e309}'),
    status: 422,
    says: ['times: the number is out of range'],
    neverSays: ['null'],
    field: 'times',
  },
  {
    name: 'a negative number too large for a float',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, '{"text":"x","times":-1e309}'),
    status: 422,
    says: ['times: the number is out of range'],
    field: 'times',
  },
  {
    name: 'a URL of 100 KB',
    method: 'GET',
    path: `/v1/predictions?q=${'a'.repeat(100_000)}`,
    status: 431,
    says: ['larger than 16 KiB', 'JSON body of a POST'],
  },
  {
    name: 'a JSON body over the limit',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, `{"text":"${'x'.repeat(2 * 1024 * 1024)}"}`),
    status: 413,
    says: ['larger than 1 MiB', 'POST /v1/files', 'cogdesk serve --max-body-mb N'],
  },
  {
    name: 'an upload over the limit',
    method: 'POST',
    path: '/v1/files',
    uploadBytes: 100 * 1024,
    status: 413,
    says: ['The upload is larger than 64 KiB', 'http(s) URL', 'cogdesk serve --max-upload-mb N'],
    neverSays: ['through POST /v1/files'],
  },
  {
    name: 'a file input naming a path on this machine',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => `{"version":"${c.file}","input":{"image":"${c.home}/api-token"}}`,
    status: 422,
    says: ['send the file itself (an upload, a data: URI) or an http(s) URL'],
    field: 'image',
  },
  {
    name: 'a file input naming a relative path',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => `{"version":"${c.file}","input":{"image":"cogdesk.db"}}`,
    status: 422,
    says: ['send the file itself'],
    field: 'image',
  },
  {
    name: 'a webhook to the cloud metadata address',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, '{"text":"x"}').replace(/}$/, ',"webhook":"http://169.254.169.254/latest/"}'),
    status: 422,
    says: ['link-local address 169.254.169.254'],
    field: 'webhook',
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: '/v1/predictions',
    body: () => '{"version": ',
    status: 400,
    says: ['not valid JSON'],
  },
  {
    name: 'an unknown top-level key',
    method: 'POST',
    path: '/v1/predictions',
    body: (c) => echoInput(c, '{"text":"x"}').replace(/}$/, ',"inptu":{}}'),
    status: 422,
    says: ['Additional property inptu is not allowed'],
    field: 'inptu',
  },
];
