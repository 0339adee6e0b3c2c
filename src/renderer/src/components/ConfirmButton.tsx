import { useEffect, useState } from 'react';

/** A button for something that cannot be undone: the first press asks, the second (within 4 s) does it. */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled }: { label: string; confirmLabel: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!asking) return;
    const t = setTimeout(() => setAsking(false), 4000);
    return () => clearTimeout(t);
  }, [asking]);
  return (
    <button
      type="button"
      className={asking ? 'danger' : 'danger-quiet'}
      disabled={disabled}
      onClick={() => {
        if (asking) {
          setAsking(false);
          onConfirm();
        } else setAsking(true);
      }}
      onBlur={() => setAsking(false)}
    >
      {asking ? confirmLabel : label}
    </button>
  );
}
