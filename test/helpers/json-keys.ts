/**
 * The keys of a `--json` output that are not snake_case (`imageRef`, `keptWeightsBytes`), as paths
 * (`[0].versions[0].imageRef`). What a model or a person wrote is not Cogdesk's to rename and is not walked:
 * schemas, cog.yaml, a prediction's input and output.
 */
const NOT_OURS = new Set(['openapi_schema', 'cog_config', 'input', 'output', 'input_schema']);

export function camelCaseKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => camelCaseKeys(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(/[a-z][A-Z]/.test(k) ? [`${path}.${k}`] : []),
    ...(NOT_OURS.has(k) ? [] : camelCaseKeys(v, `${path}.${k}`)),
  ]);
}
