import type { ChildProcess } from 'node:child_process';

/**
 * Every submission runs as the leader of its own process group, so one signal to the group
 * reaches whatever it spawned. Groups still alive when the grader exits (Ctrl-C, a crash)
 * are killed too, so no submission outlives the grader.
 */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  liveGroups.add(child.pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
    });
  }
}

export function untrackGroup(pid: number | undefined): void {
  if (pid !== undefined) liveGroups.delete(pid);
}

/** Signals the whole group; false when it is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
