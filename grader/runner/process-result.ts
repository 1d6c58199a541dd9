/**
 * How one run of a submission process ended. `stopped` means the grader ended a long-running
 * process on purpose (a consumer after its events were produced); it counts as a clean end.
 */
export type ProcessStatus = 'ok' | 'stopped' | 'crash' | 'timeout' | 'build-error';

export interface ProcessResult {
  status: ProcessStatus;
  exitCode: number | null;
  signal: string | null;
  /** The first outputLimitBytes of each stream. */
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  /** For build-error: what the compiler said, with file:line:column. */
  buildError?: string;
  /** Bytes the process wrote on the result channel (module harness), uncapped by outputLimitBytes. */
  channel?: string;
}
