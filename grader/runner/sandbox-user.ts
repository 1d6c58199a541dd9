import { randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A user and group of the run's own, with no account on the machine and no other files. */
export interface SandboxUser {
  uid: number;
  gid: number;
}

/** Far above the ids of real accounts (and of `nobody`, which the embedded PostgreSQL runs as). */
const FIRST_ID = 200_000;
const ID_COUNT = 100_000;

/**
 * Where graders on this machine reserve the ids they hand out: one file per id, naming the
 * grader that holds it. Created exclusively, so two graders starting at once never draw the same
 * id, also while a run has no process yet (it is being built) or between two processes.
 */
const RESERVATIONS = '/run/integration-lab/users';

/**
 * A fresh id per run, drawn at random and reserved, so that parallel graders (a cohort) and the
 * runs inside one grader never share one: a submission can then signal or read nothing but its
 * own processes and files, and reach only its own services.
 */
export function allocateSandboxUser(): SandboxUser {
  mkdirSync(RESERVATIONS, { recursive: true, mode: 0o700 });
  for (;;) {
    const id = FIRST_ID + randomInt(ID_COUNT);
    // An id with a live process is never shared, whoever holds it.
    if (processesOf(id).length > 0 || !reserve(id)) continue;
    const user = { uid: id, gid: id };
    live.add(user);
    installExitHook();
    return user;
  }
}

function reserve(id: number): boolean {
  const file = join(RESERVATIONS, String(id));
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, GRADER, { flag: 'wx', mode: 0o600 });
      return true;
    } catch {
      // Held: by a live grader, or left by one that was killed (then it is free again).
      let holder = '';
      try {
        holder = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (isLiveGrader(holder)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

/**
 * This grader, as other graders recognise it while it lives: its pid and the time the kernel
 * started it (a pid alone is reused once the process is gone).
 */
export const GRADER = identityOf(process.pid) ?? `${process.pid}:unknown`;

/** Whether the grader named (as GRADER names one) is still running. */
export function isLiveGrader(identity: string): boolean {
  const pid = Number(identity.split(':')[0]);
  return Number.isInteger(pid) && pid > 0 && identityOf(pid) === identity.trim();
}

function identityOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return `${pid}:${startTime}`;
  } catch {
    return undefined;
  }
}

/** Users whose processes may still run; killed when the grader exits, however it exits. */
const live = new Set<SandboxUser>();
let hooked = false;

function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const user of live) releaseSandboxUser(user);
  });
}

/** The run is over: its user's processes are gone, and its id is free for another run. */
export function releaseSandboxUser(user: SandboxUser): void {
  killProcessesOf(user);
  live.delete(user);
  rmSync(join(RESERVATIONS, String(user.uid)), { force: true });
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
