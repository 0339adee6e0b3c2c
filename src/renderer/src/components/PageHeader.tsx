import { useEffect, useRef, type ReactNode } from 'react';

/** A page's title, focused when the page opens so keyboard and screen-reader users land on it. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <header className="page-header">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      {children && <div className="page-header-actions">{children}</div>}
    </header>
  );
}
