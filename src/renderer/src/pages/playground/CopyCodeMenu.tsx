import { useEffect, useState } from 'react';
import { DEFAULT_SETTINGS } from '../../../../shared/domain';
import { api } from '../../api';
import { CopyButton } from '../../components/CopyButton';
import { inputFromDrafts } from '../../form/fields';
import { localApiModel, replicateModel } from '../../lib/apiName';
import { codeSnippet, type CodeLanguage, type CodeTarget } from '../../lib/code';
import { useEngine } from '../../state/engine';
import { usePlayground } from '../../state/playground';

const LANGUAGES: Array<[CodeLanguage, string]> = [
  ['curl', 'curl'],
  ['javascript', 'JavaScript'],
  ['python', 'Python'],
];

const isLocalPath = (v: unknown): v is string => typeof v === 'string' && !/^(https?:|data:)/i.test(v);

/**
 * The form's input with files from earlier runs (paths on this machine, which the local API refuses) read
 * as data: URIs through the contract, as the code sends them.
 */
async function inputWithDataUris(): Promise<Record<string, unknown>> {
  const { fields, drafts, prefill } = usePlayground.getState();
  const input = inputFromDrafts(fields, drafts);
  const from = prefill.from === 'example' || prefill.from === 'prediction' ? prefill.predictionId : null;
  const read = async (name: string, path: string) => {
    if (!from) throw new Error(`Cannot read ${name}'s file ${path}: pick the file again, then copy.`);
    try {
      return (await api.readPredictionFile(from, path)).dataUri;
    } catch (e) {
      throw new Error(`Cannot read ${name}'s file ${path} (${(e as Error).message}): pick the file again, then copy.`);
    }
  };
  for (const f of fields) {
    const v = input[f.name];
    if (f.widget === 'file' && isLocalPath(v)) input[f.name] = await read(f.name, v);
    if (f.widget === 'files' && Array.isArray(v)) input[f.name] = await Promise.all(v.map((x) => (isLocalPath(x) ? read(f.name, x) : x)));
  }
  return input;
}

/**
 * "Copy as code": the same prediction as curl, JavaScript and Python against the local API (the port set in
 * Settings, the token placeholder), and against Replicate for a model pulled from Replicate.
 */
export function CopyCodeMenu() {
  const version = usePlayground((s) => s.version);
  const dataDir = useEngine((s) => s.status?.dataDir);
  const [port, setPort] = useState(DEFAULT_SETTINGS.apiServerPort);
  useEffect(() => {
    api.getSettings().then(
      (s) => setPort(s.apiServerPort),
      () => undefined, // the default port; the snippet still says where the token is
    );
  }, []);
  if (!version) return null;

  const remote = replicateModel(version.modelId);
  const targets: Array<[string, CodeTarget]> = [
    ['local API', { kind: 'local', origin: `http://127.0.0.1:${port}`, model: localApiModel(version.modelId), version: version.id, tokenFile: dataDir ? `${dataDir}/api-token` : undefined }],
  ];
  if (remote) targets.push(['Replicate', { kind: 'replicate', model: remote, version: version.id }]);
  const copy = (language: CodeLanguage, target: CodeTarget) => async () => codeSnippet(language, target, usePlayground.getState().fields, await inputWithDataUris());

  return (
    <details className="copy-menu">
      <summary>Copy as code</summary>
      <div className="copy-menu-body">
        {targets.map(([where, target]) => (
          <div key={where} role="group" aria-label={`Code for the ${where}`} className="copy-menu-row">
            <span className="muted small">{where === 'Replicate' ? `Replicate (${remote})` : `Local API (127.0.0.1:${port})`}</span>
            {LANGUAGES.map(([language, name]) => (
              <CopyButton key={language} label={name} title={`Copy as ${name} for the ${where}`} text={copy(language, target)} />
            ))}
          </div>
        ))}
      </div>
    </details>
  );
}
