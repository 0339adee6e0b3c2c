import { useEffect, useRef } from 'react';

/** A prediction's logs, kept scrolled to the newest line while they grow (unless scrolled up). */
export function LogView({ logs, live }: { logs: string; live: boolean }) {
  const ref = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [logs]);
  return (
    <section className="logs" aria-label="Logs">
      <h3>Logs</h3>
      <pre
        ref={ref}
        role="log"
        tabIndex={0}
        aria-live={live ? 'polite' : 'off'}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {logs || (live ? 'Waiting for logs…' : 'No logs.')}
      </pre>
    </section>
  );
}
