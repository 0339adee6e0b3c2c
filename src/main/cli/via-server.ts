/**
 * Where `cogdesk run` runs its prediction: in this process (the model starts cold and stops when the
 * command ends), or in a running Cogdesk (the app or `cogdesk serve`, found by server-record.ts) through its
 * local API, where the model stays warm between commands. Both share the data folder, so the history is
 * one: the finished prediction is read back from it, with its output files as local paths.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Prediction } from '../../shared/domain';
import { CogdeskError } from '../../shared/errors';
import type { VersionSchema } from '../../shared/schema';
import type { Core } from '../core';
import type { RunningServer } from '../core/api-server/server-record';
import { callServer } from './server-api';

type Update = Pick<Prediction, 'id' | 'logs' | 'output' | 'status'>;

export interface PredictionRunner {
  create(version: string, input: Record<string, unknown>): Promise<string>;
  /** Waits until it ends, telling `onUpdate` what comes meanwhile. */
  wait(id: string, onUpdate: (p: Update) => void): Promise<Prediction>;
  cancel(id: string): Promise<void>;
}

export function localRunner(core: Core): PredictionRunner {
  return {
    create: async (version, input) => (await core.createPrediction({ version, input, source: 'cli' })).id,
    async wait(id, onUpdate) {
      const off = core.on('prediction', onUpdate);
      try {
        return await core.waitForPrediction(id);
      } finally {
        off();
      }
    },
    cancel: async (id) => {
      await core.cancelPrediction(id);
    },
  };
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
const POLL_MS = 200;

export function serverRunner(core: Core, server: RunningServer, schema: VersionSchema): PredictionRunner {
  const call = <T>(method: string, path: string, body?: unknown) => callServer<T>(server, method, path, body);

  /** A local file the input names goes up as an upload (POST /v1/files), and the input takes its URL. */
  const upload = async (path: string): Promise<string> => {
    const form = new FormData();
    form.set('content', new Blob([await readFile(path)]), basename(path));
    let res: Response;
    try {
      res = await fetch(`${server.url}/files`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: form });
    } catch (e) {
      throw new CogdeskError({ code: 'internal', message: `Could not upload ${path} to the running Cogdesk: ${(e as Error).message}` });
    }
    if (!res.ok) throw new CogdeskError({ code: 'bad_request', message: `The running Cogdesk did not take ${path}: ${await res.text()}`, hint: 'A larger upload limit: cogdesk serve --max-upload-mb N.' });
    return ((await res.json()) as { urls: { get: string } }).urls.get;
  };
  const isLocalFile = async (v: unknown) => typeof v === 'string' && v.startsWith('/') && (await stat(v).then((s) => s.isFile(), () => false));
  const withUploads = async (input: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...input };
    for (const f of schema.inputs) {
      const v = out[f.name];
      if (f.isFile && (await isLocalFile(v))) out[f.name] = await upload(v as string);
      else if (f.items?.isFile && Array.isArray(v)) out[f.name] = await Promise.all(v.map(async (x) => ((await isLocalFile(x)) ? upload(x as string) : x)));
    }
    return out;
  };

  return {
    create: async (version, input) => (await call<{ id: string }>('POST', '/predictions', { version, input: await withUploads(input) })).id,
    async wait(id, onUpdate) {
      for (;;) {
        const p = await call<Update>('GET', `/predictions/${id}`);
        onUpdate(p);
        if (TERMINAL.has(p.status)) break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      // The history is shared: the finished prediction as kept, with its output files as local paths.
      const final = await core.getPrediction(id);
      if (!final) throw new CogdeskError({ code: 'not_found', message: `Prediction ${id} ended in the running Cogdesk but is not in this data folder's history`, hint: 'The running Cogdesk uses another data folder (COGDESK_HOME): run with the same COGDESK_HOME, or stop it to run here.' });
      return final;
    },
    cancel: async (id) => {
      await call('POST', `/predictions/${id}/cancel`);
    },
  };
}
