/**
 * Test hook for the crash-safety tests (issue 7: "test it with SIGKILL at random
 * points"): when TRACEHOP_CRASH_AT names this point, the process kills itself with
 * SIGKILL right here, as a power cut would. Unset in production: a no-op.
 */
export function crashPoint(name: string): void {
  const at = process.env['TRACEHOP_CRASH_AT'];
  if (at && at === name) process.kill(process.pid, 'SIGKILL');
}
