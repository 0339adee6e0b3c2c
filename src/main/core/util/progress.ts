/** Small helpers for long work that reports progress (pulls, pushes). */

/** Calls a listener; a listener that throws must not break the work it listens to. */
export function safeCall<T>(fn: ((v: T) => void) | undefined, value: T): void {
  try {
    fn?.(value);
  } catch {
    // ignored on purpose
  }
}

/** Calls `fn` at most once per `ms`, trailing calls included; `now()` calls at once, `cancel()` drops a pending one. */
export function throttle(fn: () => void, ms: number): (() => void) & { now(): void; cancel(): void } {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const call = () => {
    if (timer) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  return Object.assign(call, {
    now: () => {
      if (timer) clearTimeout(timer);
      run();
    },
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  });
}
