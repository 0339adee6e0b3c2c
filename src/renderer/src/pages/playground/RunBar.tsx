import { CopyButton } from '../../components/CopyButton';
import { focusField } from '../../form/InputForm';
import { cliCommand } from '../../lib/cli';
import { inputFromDrafts, type FileDraft } from '../../form/fields';
import { replicateModel } from '../../lib/apiName';
import { useTokenPresent } from '../../lib/useToken';
import { usePlayground } from '../../state/playground';
import { CopyCodeMenu } from './CopyCodeMenu';

/**
 * Run (also Ctrl/Cmd+Enter), Run on Replicate (a model pulled from Replicate, with a token set), reset to the
 * defaults, and copy the same run as a `cogdesk run` command or as code.
 */
export function RunBar() {
  const { version, fields, drafts, creating, creatingOn, resetForm, run } = usePlayground();
  const token = useTokenPresent();
  const remote = version ? replicateModel(version.modelId) : null;
  const command = () => {
    const picked: Record<string, FileDraft | FileDraft[] | undefined> = {};
    for (const f of fields) if (f.widget === 'file' || f.widget === 'files') picked[f.name] = drafts[f.name] as FileDraft | FileDraft[] | undefined;
    return cliCommand(version!.imageRef, fields, inputFromDrafts(fields, drafts), picked);
  };
  const runThere = async () => {
    const bad = await run('replicate');
    if (bad) focusField(bad);
  };
  return (
    <div className="run-bar">
      <button type="submit" className="primary" disabled={!version || creating} aria-keyshortcuts="Control+Enter Meta+Enter">
        {creating && creatingOn !== 'replicate' ? 'Starting…' : 'Run'}
      </button>
      {remote && token && (
        <button type="button" disabled={creating} onClick={() => void runThere()} title={`Runs ${remote} on Replicate with your API token, with this input`}>
          {creating && creatingOn === 'replicate' ? 'Starting on Replicate…' : 'Run on Replicate'}
        </button>
      )}
      <button type="button" onClick={resetForm} disabled={!version}>
        Reset
      </button>
      {version && <CopyButton label="Copy as CLI command" text={command} />}
      <CopyCodeMenu />
      <span className="muted small">Ctrl+Enter runs</span>
    </div>
  );
}
