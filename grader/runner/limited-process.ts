import { spawn } from 'node:child_process';
import { CappedBuffer } from './capped-buffer.ts';
import { signalGroup, trackGroup, untrackGroup } from './process-group.ts';
import type { ProcessResult } from './process-result.ts';

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
}

/** A running submission process. `stop()` ends it on purpose; `result` settles once its group is gone. */
export interface LimitedProcess {
  pid: number | undefined;
  result: Promise<ProcessResult>;
  stop(): Promise<ProcessResult>;
}

/** After SIGTERM, how long the group gets to exit before SIGKILL. */
const GRACE_MS = 500;

export function startLimitedProcess(options: LimitedProcessOptions): LimitedProcess {
  const [command, ...args] = options.argv;
  if (command === undefined) throw new Error('empty command line');
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', ...(options.resultChannel ? (['pipe'] as const) : [])],
  });
  trackGroup(child);

  const stdout = new CappedBuffer(options.outputLimitBytes);
  const stderr = new CappedBuffer(options.outputLimitBytes);
  const channel: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdio[3]?.on('data', (chunk: Buffer) => channel.push(chunk));
  // A submission that closes stdin early must not crash the grader with EPIPE.
  child.stdin?.on('error', () => {});
  child.stdin?.end(options.stdin ?? '');

  let ending: 'timeout' | 'stopped' | undefined;
  const terminate = (reason: 'timeout' | 'stopped') => {
    if (ending || child.pid === undefined) return;
    ending = reason;
    signalGroup(child.pid, 'SIGTERM');
    setTimeout(() => signalGroup(child.pid as number, 'SIGKILL'), GRACE_MS).unref();
  };
  const timer = setTimeout(() => terminate('timeout'), options.timeLimitMs);

  const result = new Promise<ProcessResult>((resolve) => {
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    // When the leader exits, whatever it left running in its group goes too: a submission's
    // background children must not outlive it (and they would hold the pipes open).
    child.once('exit', () => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
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
        ...(options.resultChannel ? { channel: Buffer.concat(channel).toString('utf8') } : {}),
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
