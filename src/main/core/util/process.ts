/** True when a process with this id is alive on this machine (one of another user's counts: EPERM). */
export function processAlive(pid: number | null | undefined): boolean {
  if (!pid) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
