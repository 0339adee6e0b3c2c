import { formatTime } from '../../lib/format';
import { LONG_PREDICTION_MS } from '../../lib/notify';
import { useNotifier } from '../../state/notifier';

/** The notifyWhenDone setting, the last notification shown, and why none can show when the system blocks them. */
export function NotificationsSection({ checked, onChange }: { checked: boolean; onChange: (on: boolean) => void }) {
  const { lastShown, shownCount, problem } = useNotifier();
  return (
    <section className="panel" aria-labelledby="s-notify">
      <h2 id="s-notify">Notifications</h2>
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Notify me when a pull, a push or a prediction longer than{' '}
        {LONG_PREDICTION_MS / 1000} s ends while Cogdesk is in the background
      </label>
      {problem && <p className="field-error">{problem}</p>}
      <p className="muted small" role="status" data-testid="last-notification" data-count={shownCount}>
        {lastShown ? `Last notification: ${lastShown.title} — ${lastShown.body} (${formatTime(lastShown.at)})` : 'No notification shown yet.'}
      </p>
    </section>
  );
}
