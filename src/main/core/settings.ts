import { DEFAULT_SETTINGS, type Settings } from '../../shared/domain';
import { CogdeskError, type FieldError } from '../../shared/errors';
import { resolveApiUrl } from './remote/client';

/** Checks a settings change before it is saved; every problem names the setting and the allowed values. */
export function validateSettings(patch: Partial<Settings>): void {
  const fields: FieldError[] = [];
  const positive = (key: 'idleTimeoutSeconds' | 'predictionTimeoutSeconds', max: number) => {
    const v = patch[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > max)) {
      fields.push({ field: key, code: 'range', message: `${key} must be a number of seconds from 1 to ${max}` });
    }
  };
  positive('idleTimeoutSeconds', 7 * 24 * 3600);
  positive('predictionTimeoutSeconds', 7 * 24 * 3600);
  if (patch.hostNetwork !== undefined && typeof patch.hostNetwork !== 'boolean') {
    fields.push({ field: 'hostNetwork', code: 'type', message: 'hostNetwork must be true or false' });
  }
  if (patch.dockerHost !== undefined && typeof patch.dockerHost !== 'string') {
    fields.push({ field: 'dockerHost', code: 'type', message: 'dockerHost must be text (empty for the default)' });
  }
  if (patch.allowCpuFallback !== undefined && typeof patch.allowCpuFallback !== 'boolean') {
    fields.push({ field: 'allowCpuFallback', code: 'type', message: 'allowCpuFallback must be true or false' });
  }
  const ids = patch.gpuDeviceIds;
  if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !/^GPU-[0-9a-fA-F-]+$/.test(id)))) {
    fields.push({ field: 'gpuDeviceIds', code: 'format', message: 'gpuDeviceIds must be a list of GPU uuids like GPU-5f3c… (see `cogdesk hardware`), or empty for all GPUs' });
  }
  if (patch.apiServerEnabled !== undefined && typeof patch.apiServerEnabled !== 'boolean') {
    fields.push({ field: 'apiServerEnabled', code: 'type', message: 'apiServerEnabled must be true or false' });
  }
  if (patch.keepWeights !== undefined && typeof patch.keepWeights !== 'boolean') {
    fields.push({ field: 'keepWeights', code: 'type', message: 'keepWeights must be true or false' });
  }
  if (patch.routeToReplicate !== undefined && typeof patch.routeToReplicate !== 'boolean') {
    fields.push({ field: 'routeToReplicate', code: 'type', message: 'routeToReplicate must be true or false' });
  }
  if (patch.cliBackgroundServer !== undefined && typeof patch.cliBackgroundServer !== 'boolean') {
    fields.push({ field: 'cliBackgroundServer', code: 'type', message: 'cliBackgroundServer must be true or false' });
  }
  if (patch.notifyWhenDone !== undefined && typeof patch.notifyWhenDone !== 'boolean') {
    fields.push({ field: 'notifyWhenDone', code: 'type', message: 'notifyWhenDone must be true or false' });
  }
  const cap = patch.maxWarmGpuModelsPerGpu;
  if (cap !== undefined && (!Number.isInteger(cap) || cap < 0 || cap > 64)) {
    fields.push({ field: 'maxWarmGpuModelsPerGpu', code: 'range', message: 'maxWarmGpuModelsPerGpu must be a whole number from 0 (as many as fit) to 64' });
  }
  const port = patch.apiServerPort;
  if (port !== undefined && (!Number.isInteger(port) || port < 1024 || port > 65535)) {
    fields.push({ field: 'apiServerPort', code: 'range', message: 'apiServerPort must be a whole number from 1024 to 65535' });
  }
  const apiUrl = patch.replicateApiUrl;
  if (apiUrl !== undefined) {
    if (typeof apiUrl !== 'string') {
      fields.push({ field: 'replicateApiUrl', code: 'type', message: "replicateApiUrl must be text (empty for Replicate's own API)" });
    } else if (apiUrl.trim()) {
      try {
        resolveApiUrl({ env: {}, setting: apiUrl });
      } catch (e) {
        fields.push({ field: 'replicateApiUrl', code: 'format', message: `replicateApiUrl: ${(e as Error).message}` });
      }
    }
  }
  for (const key of Object.keys(patch)) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) fields.push({ field: key, code: 'unknown', message: `there is no setting named ${key}` });
  }
  if (fields.length) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `Settings not saved: ${fields.map((f) => f.message).join('; ')}`,
      hint: 'Nothing was changed; correct the values and save again.',
      fields,
    });
  }
}
