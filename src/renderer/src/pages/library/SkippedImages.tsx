import type { LocalImageScan } from '../../../../shared/domain';

/** Images with Cog labels that could not be listed, each with why and what to do. */
export function SkippedImages({ skipped }: { skipped: LocalImageScan['skipped'] }) {
  const n = skipped.length;
  return (
    <details className="notice skipped-images" data-testid="skipped-images">
      <summary>
        {n === 1 ? 'One image' : `${n} images`} with Cog labels could not be listed: rebuild {n === 1 ? 'it' : 'them'} with a current
        `cog build`.
      </summary>
      <ul>
        {skipped.map((s) => (
          <li key={s.ref}>
            {s.reason.includes(s.ref) ? (
              s.reason
            ) : (
              <>
                <code>{s.ref}</code>: {s.reason}
              </>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
