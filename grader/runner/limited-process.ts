import { spawn } from 'node:child_process';
import { CappedBuffer } from './capped-buffer.ts';
import { signalGroup, trackGroup, untrackGroup } from './process-group.ts';
import type { LimitStatus, ProcessResult } from './process-result.ts';

export interface LimitedProcessOptions {
  argv: string[];
  cwd: string;
  /** The complete environment; nothing is inherited from the grader. */
  env: Record<string, string>;
  timeLimitMs: number;
  outputLimitBytes: number;
  stdin?: string;
  /** Open file descriptor 3 as a result channel the grader reads in full. */
  resultChannel?: boolean;
  /**
   * Polled while the process runs, with the pid of the leader; a limit it reports ends the run
   * with that status (the workspace size).
   */
  monitor?: { intervalMs: number; check(leader: number): LimitStatus | undefined };
  /**
   * Kills whatever this process left, also outside its process group (a shell's `setsid`): every
   * task in its cgroup. Called when the leader exits and when the run is ended.
   */
  reap?: () => void;
  /** Start the process as this user (where no setpriv wrapper does it). */
  user?: { uid: number; gid: number };
}

/** A running submission process. `stop()` ends it on purpose; `result` settles once its group is gone. */
export interface LimitedProcess {
  pid: number | undefined;
  result: Promise<ProcessResult>;
  stop(): Promise<ProcessResult>;
}

/** After SIGTERM, how long the group gets to exit before SIGKILL. */
const GRACE_MS = 500;
/** Results a module entry may return in all; what comes past it is dropped (those calls count as not run). */
const CHANNEL_LIMIT_BYTES = 16 * 1024 * 1024;
/** After the leader exits, how long a leftover holding its pipes may delay the result. */
const PIPE_GRACE_MS = 2_000;

export function startLimitedProcess(options: LimitedProcessOptions): LimitedProcess {
  const [command, ...args] = options.argv;
  if (command === undefined) throw new Error('empty command line');
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    stdio: ['pipe', 'pipe', 'pipe', ...(options.resultChannel ? (['pipe'] as const) : [])],
  });
  trackGroup(child);

  const stdout = new CappedBuffer(options.outputLimitBytes);
  const stderr = new CappedBuffer(options.outputLimitBytes);
  const channel = new CappedBuffer(CHANNEL_LIMIT_BYTES);
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdio[3]?.on('data', (chunk: Buffer) => channel.push(chunk));
  // A submission that closes stdin early must not crash the grader with EPIPE.
  child.stdin?.on('error', () => {});
  child.stdin?.end(options.stdin ?? '');

  let ending: 'timeout' | 'stopped' | LimitStatus | undefined;
  const terminate = (reason: 'timeout' | 'stopped' | LimitStatus) => {
    if (ending || child.pid === undefined) return;
    ending = reason;
    signalGroup(child.pid, 'SIGTERM');
    setTimeout(() => {
      signalGroup(child.pid as number, 'SIGKILL');
      options.reap?.();
    }, GRACE_MS).unref();
  };
  const timer = setTimeout(() => terminate('timeout'), options.timeLimitMs);
  const monitor = options.monitor;
  let poll: NodeJS.Timeout | undefined;
  // The check runs on the grader's event loop, beside the mock systems: a check that got slow
  // (a workspace of many files) is run less often, so it never takes more than a fifth of the time.
  const schedule = (delayMs: number) => {
    poll = setTimeout(() => {
      if (!monitor || ending || child.pid === undefined) return;
      const began = performance.now();
      const exceeded = monitor.check(child.pid);
      if (exceeded) return terminate(exceeded);
      schedule(Math.max(monitor.intervalMs, 4 * (performance.now() - began)));
    }, delayMs);
  };
  if (monitor) schedule(monitor.intervalMs);

  const result = new Promise<ProcessResult>((resolve) => {
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    // When the leader exits, whatever it left running in its group goes too: a submission's
    // background children must not outlive it (and they would hold the pipes open).
    child.once('exit', () => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      options.reap?.();
      // Something that escaped the group may still hold the pipes; the result must not wait on it.
      setTimeout(() => {
        for (const stream of child.stdio) stream?.destroy();
      }, PIPE_GRACE_MS).unref();
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(poll);
      untrackGroup(child.pid);
      const status = ending ?? (exitCode === 0 && !spawnError ? 'ok' : 'crash');
      if (spawnError) stderr.push(Buffer.from(`could not start ${command}: ${spawnError.message}\n`));
      resolve({
        status,
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        durationMs: Math.round(performance.now() - started),
        ...(options.resultChannel ? { channel: channel.text() } : {}),
      });
    });
  });

  return {
    pid: child.pid,
    result,
    stop() {
      terminate('stopped');
      return result;
    },
  };
}
