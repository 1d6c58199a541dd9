import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One process run's cgroups (v1 memory and pids): the kernel caps the whole process tree, and
 * the counters tell afterwards which limit it hit.
 */
export interface RunCgroup {
  /** cgroup.procs files the run's first process writes its pid into before it execs. */
  procsFiles: string[];
  /** The kernel killed a process of the run for memory. */
  memoryExceeded(): boolean;
  /** A fork or thread creation was refused at the process limit. */
  processLimitHit(): boolean;
  /** The run's processes now, wherever they moved (group, session). */
  pids(): number[];
  /** SIGKILLs every process in the group: a process cannot leave it, whatever group or session it moves to. */
  killAll(): void;
  remove(): Promise<void>;
}

let counter = 0;

export function createRunCgroup(parents: { memory: string; pids: string }, limits: { memoryLimitBytes: number; processLimit: number }): RunCgroup {
  const name = `run-${process.pid}-${counter++}`;
  const memory = join(parents.memory, name);
  const pids = join(parents.pids, name);
  mkdirSync(memory);
  mkdirSync(pids);
  writeFileSync(join(memory, 'memory.limit_in_bytes'), String(limits.memoryLimitBytes));
  // Where swap is accounted, it is capped too, or the limit would only move memory to swap.
  const swap = join(memory, 'memory.memsw.limit_in_bytes');
  if (existsSync(swap)) writeFileSync(swap, String(limits.memoryLimitBytes));
  writeFileSync(join(pids, 'pids.max'), String(limits.processLimit));
  return {
    procsFiles: [join(memory, 'cgroup.procs'), join(pids, 'cgroup.procs')],
    memoryExceeded: () => Number(/^oom_kill (\d+)/m.exec(read(join(memory, 'memory.oom_control')))?.[1] ?? 0) > 0,
    processLimitHit: () => Number(/^max (\d+)/m.exec(read(join(pids, 'pids.events')))?.[1] ?? 0) > 0,
    pids: () => taskIds(pids),
    killAll: () => {
      for (const pid of taskIds(pids)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    remove: async () => {
      for (const dir of [memory, pids]) await removeWhenEmpty(dir);
    },
  };
}

function taskIds(group: string): number[] {
  return read(join(group, 'cgroup.procs')).split('\n').filter(Boolean).map(Number);
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** A cgroup can go only once its last task is gone; a killed task may take a moment. */
async function removeWhenEmpty(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
