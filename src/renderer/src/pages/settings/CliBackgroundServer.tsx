/**
 * The cliBackgroundServer setting: with no Cogdesk open, `cogdesk run` starts a background server that keeps
 * models warm between commands and exits after the idle timeout (else the model stops when the command ends).
 */
export function CliBackgroundServer({ checked, idleSeconds, onChange }: { checked: boolean; idleSeconds: number; onChange: (on: boolean) => void }) {
  return (
    <>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> cogdesk run starts a background server that keeps models warm, and
        exits after the idle timeout
      </label>
      <p className="muted small">
        When Cogdesk is not open, the command line otherwise starts the model for one command and stops it at the end. The background server exits once it has had
        nothing to do for {Number.isFinite(idleSeconds) ? `${idleSeconds} s` : 'the idle timeout'}; <code>cogdesk settings cliBackgroundServer true</code> turns it on
        from a terminal.
      </p>
    </>
  );
}
