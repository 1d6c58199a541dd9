/** One `lab` sub-command. Each lives in its own module under `commands/`. */
export interface Command {
  name: string;
  /** The full text of `lab <name> --help`: usage, options, exit codes, examples. */
  help: string;
  /** Returns the process exit code (see EXIT_CODES). */
  run(argv: string[]): Promise<number>;
}

/** Documented in `lab --help` and the README; scripts depend on them, so they never change meaning. */
export const EXIT_CODES = {
  ok: 0,
  /** The command ran and the submission did not get full marks (grade/check), or a lab is invalid (validate). */
  failed: 1,
  /** The command line was wrong: unknown command, missing argument, bad option. */
  usage: 2,
  /** Something outside the submission went wrong: a broken lab file, a service that would not start. */
  error: 3,
} as const;

export class UsageError extends Error {}
