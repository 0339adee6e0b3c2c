import { CopyButton } from '../../components/CopyButton';
import { cliCommand } from '../../lib/cli';
import { inputFromDrafts, type FileDraft } from '../../form/fields';
import { usePlayground } from '../../state/playground';
import { CopyCodeMenu } from './CopyCodeMenu';

/** Run (also Ctrl/Cmd+Enter), reset to the defaults, and copy the same run as a `cogdesk run` command or as code. */
export function RunBar() {
  const { version, fields, drafts, creating, resetForm } = usePlayground();
  const command = () => {
    const picked: Record<string, FileDraft | FileDraft[] | undefined> = {};
    for (const f of fields) if (f.widget === 'file' || f.widget === 'files') picked[f.name] = drafts[f.name] as FileDraft | FileDraft[] | undefined;
    return cliCommand(version!.imageRef, fields, inputFromDrafts(fields, drafts), picked);
  };
  return (
    <div className="run-bar">
      <button type="submit" className="primary" disabled={!version || creating} aria-keyshortcuts="Control+Enter Meta+Enter">
        {creating ? 'Starting…' : 'Run'}
      </button>
      <button type="button" onClick={resetForm} disabled={!version}>
        Reset
      </button>
      {version && <CopyButton label="Copy as CLI command" text={command} />}
      <CopyCodeMenu />
      <span className="muted small">Ctrl+Enter runs</span>
    </div>
  );
}
