import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

/** A user and group of the run's own, with no account on the machine and no other files. */
export interface SandboxUser {
  uid: number;
  gid: number;
}

/** Far above the ids of real accounts (and of `nobody`, which the embedded PostgreSQL runs as). */
const FIRST_ID = 200_000;
const ID_COUNT = 100_000;

/**
 * A fresh id per run, drawn at random and checked unused, so that parallel graders (a cohort)
 * and the runs inside one grader never share one: a submission can then signal or read nothing
 * but its own processes and files.
 */
export function allocateSandboxUser(): SandboxUser {
  let id = FIRST_ID + randomInt(ID_COUNT);
  // Another grader may hold it; an id with a live process is never shared.
  while (processesOf(id).length > 0 || [...live].some((user) => user.uid === id)) id = FIRST_ID + randomInt(ID_COUNT);
  const user = { uid: id, gid: id };
  live.add(user);
  installExitHook();
  return user;
}

/** Users whose processes may still run; killed when the grader exits, however it exits. */
const live = new Set<SandboxUser>();
let hooked = false;

function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const user of live) killProcessesOf(user);
  });
}

/** The run is over: its user's processes are gone and need no killing at exit. */
export function releaseSandboxUser(user: SandboxUser): void {
  killProcessesOf(user);
  live.delete(user);
}

/** SIGKILLs every process the user has, wherever it moved (another group, another session). */
export function killProcessesOf(user: SandboxUser): number {
  let killed = 0;
  for (const pid of processesOf(user.uid)) {
    try {
      process.kill(pid, 'SIGKILL');
      killed += 1;
    } catch {
      // already gone
    }
  }
  return killed;
}

export function processesOf(uid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(real) === uid) pids.push(Number(name));
    } catch {
      // it ended while we looked
    }
  }
  return pids;
}
