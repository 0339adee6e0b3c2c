/** How sizes read everywhere (the engine's progress messages, the CLI, the window). */

/** Bytes in decimal units, as Docker writes them: `950 B`, `24.1 MB`, `104 MB`, `1.2 GB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1000;
    i++;
  } while (v >= 1000 && i < units.length - 1);
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}
