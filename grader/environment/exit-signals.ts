import { constants } from 'node:os';

/**
 * Stops running environments when the process is told to end (Ctrl-C, kill, a closed terminal).
 * PostgreSQL runs in a session of its own (pg_ctl detaches it so that Ctrl-C in the terminal
 * does not reach it), so without this an interrupted `lab grade` would leave it running.
 *
 * A command that owns the process's lifetime (`lab start`) waits for the signal itself with
 * `untilExitSignal()` and stops its environment in order; otherwise every registered
 * environment is stopped and the process exits with the conventional 128 + signal number.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type ExitSignal = (typeof SIGNALS)[number];

const running = new Set<() => Promise<void>>();
const lastWords = new Set<(signal: ExitSignal) => void>();
const waiters: Array<(signal: ExitSignal) => void> = [];
let installed = false;

/** Registers an environment's stop; returns the function that unregisters it. */
export function stopOnExitSignal(stop: () => Promise<void>): () => void {
  install();
  running.add(stop);
  return () => running.delete(stop);
}

/**
 * Runs `write` (synchronously) when a signal ends the process, before the environments stop:
 * a command's last chance to leave its result file (a grading that was interrupted says so).
 */
export function beforeExitOnSignal(write: (signal: ExitSignal) => void): () => void {
  install();
  lastWords.add(write);
  return () => lastWords.delete(write);
}

/**
 * Resolves when the process receives SIGINT, SIGTERM or SIGHUP; the caller then shuts down.
 * Until then a timer keeps the process alive: an environment of PostgreSQL alone holds no
 * handle of its own in this process (pg_ctl detached it), and a pending promise does not.
 */
export function untilExitSignal(): Promise<ExitSignal> {
  install();
  const alive = setInterval(() => {}, 2 ** 30);
  return new Promise<ExitSignal>((resolve) => waiters.push(resolve)).finally(() => clearInterval(alive));
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, () => void handle(signal));
}

async function handle(signal: ExitSignal): Promise<void> {
  if (waiters.length > 0) {
    for (const resolve of waiters.splice(0)) resolve(signal);
    return;
  }
  for (const write of lastWords) {
    try {
      write(signal);
    } catch {
      // the process is ending either way; the environments must still stop
    }
  }
  await Promise.allSettled([...running].map((stop) => stop()));
  process.exit(128 + constants.signals[signal]);
}
