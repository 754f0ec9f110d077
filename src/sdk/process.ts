/**
 * Whether a process with this id runs on this machine (signal 0 checks without signalling).
 * EPERM means it runs under another user. For plugins that name temporary files or leases by
 * process id and clean up after a process that died.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
