import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model, Prediction, Version } from '../../../src/shared/domain';
import { deriveSecrets, verifySignature } from '../../../src/main/core/api-server/auth';
import { FileStore } from '../../../src/main/core/api-server/files';
import { Serializer, type Links } from '../../../src/main/core/api-server/serialize';
import { tempHome } from '../../helpers/core';
import { checkClientFields } from '../../integration/api-server/client-fields';
import { schemaValidator } from '../../integration/api-server/openapi';

const links: Links = { origin: 'http://127.0.0.1:5190', apiBase: 'http://127.0.0.1:5190/v1', fileMode: 'url' };
const dataLinks: Links = { origin: 'http://127.0.0.1:5190', apiBase: 'http://127.0.0.1:5190/data-uri/v1', fileMode: 'data-uri' };

describe('engine values in Replicate shapes', () => {
  const { home, cleanup } = tempHome('cogdesk-serialize-');
  const outputs = join(home, 'outputs');
  const files = new FileStore(join(home, 'api-files'));
  const { signingKey } = deriveSecrets('cogdesk_serialize-test-token-serialize-test');
  const s = new Serializer({ outputsDir: outputs, files, signingKey });
  const isPrediction = schemaValidator('schemas_prediction_response');
  const isModel = schemaValidator('schemas_model_response');
  const isVersion = schemaValidator('schemas_version_response');
  const isFile = schemaValidator('schemas_file_response');
  let prediction: Prediction;

  beforeAll(() => {
    mkdirSync(join(outputs, 'p1'), { recursive: true });
    writeFileSync(join(outputs, 'p1', 'output-0.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(outputs, 'p1', 'output-1.txt'), 'text file');
    prediction = {
      id: 'p1',
      modelId: '127.0.0.1:5100/fixtures/file',
      versionId: 'f'.repeat(64),
      status: 'succeeded',
      input: { image: '/home/someone/photo.png', text: 'hi', data: 'data:text/plain;base64,YQ==' },
      output: [join(outputs, 'p1', 'output-0.png'), join(outputs, 'p1', 'output-1.txt'), 'plain text', { nested: join(outputs, 'p1', 'output-1.txt') }],
      logs: 'line\n',
      error: null,
      source: 'cli',
      createdAt: '2025-01-01T00:00:00.000Z',
      startedAt: '2025-01-01T00:00:00.100000+00:00',
      completedAt: '2025-01-01T00:00:01.000Z',
      metrics: { predict_time: 0.9, total_time: 1 },
      containerId: 'c1',
      runOn: 'local',
      remote: null,
    };
  });
  afterAll(() => cleanup());

  it('makes the prediction JSON, with absolute URLs and output files as signed URLs', async () => {
    const json = await s.prediction(prediction, links);
    expect(isPrediction(json), JSON.stringify(isPrediction.errors)).toBe(true);
    expect(json).toMatchObject({
      id: 'p1',
      model: 'fixtures/file',
      version: 'f'.repeat(64),
      status: 'succeeded',
      data_removed: false,
      source: 'web', // made by the CLI or the window, not through the API
      input: prediction.input,
      urls: { get: 'http://127.0.0.1:5190/v1/predictions/p1', cancel: 'http://127.0.0.1:5190/v1/predictions/p1/cancel' },
      metrics: { predict_time: 0.9, total_time: 1 },
    });
    const [png, txt, plain, nested] = json.output as [string, string, string, { nested: string }];
    const url = new URL(png);
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:5190/v1/outputs/p1/output-0.png');
    const expiry = Number(url.searchParams.get('expiry'));
    expect(verifySignature(signingKey, `outputs/p1/output-0.png ${expiry}`, url.searchParams.get('signature'))).toBe(true);
    expect(txt).toMatch(/\/v1\/outputs\/p1\/output-1\.txt\?expiry=\d+&signature=[\w-]{43}$/);
    expect(plain).toBe('plain text');
    expect(nested.nested).toBe(txt);
    const stream = new URL(json.urls.stream);
    expect(verifySignature(signingKey, `stream/p1 ${stream.searchParams.get('expiry')}`, stream.searchParams.get('signature'))).toBe(true);
    expect(checkClientFields('Prediction', json)).toEqual([]);
  });

  it('a prediction run on Replicate: its model and version there, its page there as urls.web, its downloaded files served here', async () => {
    const cloud: Prediction = {
      ...prediction,
      modelId: 'stability-ai/sdxl',
      versionId: '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b',
      runOn: 'replicate',
      remote: { id: 'p1', webUrl: 'https://replicate.com/p/p1', model: 'stability-ai/sdxl', version: '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b' },
      containerId: null,
    };
    const json = await s.prediction(cloud, links);
    expect(isPrediction(json), JSON.stringify(isPrediction.errors)).toBe(true);
    expect(json).toMatchObject({ model: 'stability-ai/sdxl', version: cloud.versionId, urls: { web: 'https://replicate.com/p/p1', get: 'http://127.0.0.1:5190/v1/predictions/p1' } });
    expect((json.output as string[])[0]).toMatch(/^http:\/\/127\.0\.0\.1:5190\/v1\/outputs\/p1\/output-0\.png\?/);
    // A local one's page is this server's record of it.
    expect((await s.prediction(prediction, links)).urls.web).toBe('http://127.0.0.1:5190/v1/predictions/p1');
  });

  it('signs URLs for a day, rounded up to the next full hour, so a prediction shows the same URLs for a while', async () => {
    const at = Date.parse('2025-03-01T10:20:00Z');
    const clocked = new Serializer({ outputsDir: outputs, files, signingKey, now: () => at });
    const json = await clocked.prediction(prediction, links);
    const png = new URL((json.output as string[])[0]);
    expect(new Date(Number(png.searchParams.get('expiry')) * 1000).toISOString()).toBe('2025-03-02T11:00:00.000Z');
    expect(new URL(json.urls.stream).searchParams.get('expiry')).toBe(png.searchParams.get('expiry'));
    const later = new Serializer({ outputsDir: outputs, files, signingKey, now: () => at + 30 * 60 * 1000 });
    expect((await later.prediction(prediction, links)).output).toEqual(json.output);
  });

  it('gives output files as data: URIs in data-uri mode', async () => {
    const json = await s.prediction(prediction, dataLinks);
    expect((json.output as string[])[0]).toBe('data:image/png;base64,iVBORw==');
    expect((json.output as string[])[1]).toBe(`data:text/plain;base64,${Buffer.from('text file').toString('base64')}`);
    expect(json.urls.get).toBe('http://127.0.0.1:5190/data-uri/v1/predictions/p1');
  });

  it('leaves out what has not happened yet, and shows a running prediction as starting only when asked', async () => {
    const running: Prediction = { ...prediction, status: 'processing', output: null, startedAt: '2025-01-01T00:00:00.100Z', completedAt: null, metrics: null, source: 'api' };
    const json = await s.prediction(running, links);
    expect(isPrediction(json), JSON.stringify(isPrediction.errors)).toBe(true);
    expect(json.status).toBe('processing');
    expect(json.source).toBe('api');
    expect(json.output).toBeNull();
    expect('completed_at' in json).toBe(false);
    expect('metrics' in json).toBe(false);
    expect((await s.prediction(running, links, { asStarting: true })).status).toBe('starting');
    expect((await s.prediction(prediction, links, { asStarting: true })).status).toBe('succeeded');
    const fresh = await s.prediction({ ...running, status: 'starting', startedAt: null }, links);
    expect('started_at' in fresh).toBe(false);
    expect(isPrediction(fresh)).toBe(true);
  });

  it('shows an uploaded input as its file URL again', async () => {
    const upload = await files.create(Buffer.from('x'), { name: 'in.txt', contentType: 'text/plain', metadata: {} });
    const path = (await files.contentPath(upload.id))!;
    const json = await s.prediction({ ...prediction, input: { image: path, images: [path] } }, links);
    expect(json.input).toEqual({ image: `${links.apiBase}/files/${upload.id}`, images: [`${links.apiBase}/files/${upload.id}`] });
    const file = s.file(upload, links);
    expect(isFile(file), JSON.stringify(isFile.errors)).toBe(true);
    expect(file).not.toHaveProperty('fileName');
    expect(checkClientFields('File', file)).toEqual([]);
    expect(file.etag).toBe(upload.checksums.md5);
  });

  it('makes models and versions from the library', () => {
    const version: Version = {
      id: 'a'.repeat(64), modelId: '127.0.0.1:5100/fixtures/echo', imageRef: '127.0.0.1:5100/fixtures/echo:latest', imageId: 'sha256:' + 'b'.repeat(64),
      cogVersion: '0.15.5', openapiSchema: { openapi: '3.0.2' }, cogConfig: null, legacyLabels: false, sizeBytes: 1, createdAt: '2025-01-01T00:00:00.000Z',
    };
    const model: Model = { id: version.modelId, owner: 'fixtures', name: 'echo', repository: version.modelId, createdAt: version.createdAt, latestVersionId: version.id, versionCount: 1 };
    const json = s.model(model, links, version, null);
    expect(isModel(json), JSON.stringify(isModel.errors)).toBe(true);
    expect(json).toMatchObject({ owner: 'fixtures', name: 'echo', url: 'http://127.0.0.1:5190/v1/models/fixtures/echo', latest_version: { id: version.id, cog_version: '0.15.5' } });
    expect(isVersion(s.version(version))).toBe(true);
    expect(isModel(s.model({ ...model, latestVersionId: null }, links, null, null))).toBe(true);
    expect(checkClientFields('Model', json)).toEqual([]);
    expect(checkClientFields('Version', s.version(version))).toEqual([]);
    // An image without a Cog version label: the Python client needs cog_version as a string.
    const unlabelled = s.version({ ...version, cogVersion: null });
    expect(unlabelled.cog_version).toBe('');
    expect(checkClientFields('Version', unlabelled)).toEqual([]);
    expect(checkClientFields('Model', s.model(model, links, { ...version, cogVersion: null }, null))).toEqual([]);
  });
});
