import type { ErrorInfo } from '../../../shared/errors';
import { Linkified } from './Linkified';

/** An error as a person can act on it: what failed, what to do, and the details behind it. */
export function ErrorNotice({ error, onDismiss, title }: { error: ErrorInfo; onDismiss?: () => void; title?: string }) {
  const wholeInput = error.fields?.filter((f) => f.field === '') ?? [];
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-message">
        {title && <strong>{title}: </strong>}
        {error.message}
      </p>
      {error.hint && (
        <p className="notice-hint">
          <Linkified text={error.hint} />
        </p>
      )}
      {wholeInput.map((f) => (
        <p key={f.message} className="notice-hint">
          {f.message}
        </p>
      ))}
      {error.details && (
        <details>
          <summary>Details</summary>
          <pre>{error.details}</pre>
        </details>
      )}
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
