import type { ReactNode } from 'react';

/** A page with nothing to show yet: what is missing, what to do next, and one button that does it. */
export function EmptyState({ title, children, action, onAction }: { title: string; children: ReactNode; action: string; onAction: () => void }) {
  return (
    <section className="panel empty-state" aria-label={title}>
      <h2>{title}</h2>
      <p>{children}</p>
      <button type="button" className="primary" onClick={onAction}>
        {action}
      </button>
    </section>
  );
}
