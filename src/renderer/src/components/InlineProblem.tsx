import type { ErrorInfo } from '../../../shared/errors';

/** An error in a line of text (beside a file, a button): what failed and what to do. */
export function InlineProblem({ error }: { error: ErrorInfo }) {
  return (
    <small className="problem">
      {' '}
      {error.message}
      {error.hint ? `. ${error.hint}` : ''}
    </small>
  );
}
