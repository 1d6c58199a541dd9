/**
 * How one run of a submission process ended. `stopped` means the grader ended a long-running
 * process on purpose (a consumer after its events were produced); it counts as a clean end.
 * The `*-limit` statuses name the resource limit (SubmissionLimits) the run hit.
 */
export type ProcessStatus = 'ok' | 'stopped' | 'crash' | 'timeout' | 'build-error' | LimitStatus;

export type LimitStatus = 'memory-limit' | 'process-limit' | 'disk-limit' | 'open-files-limit';

export const LIMIT_STATUSES: readonly LimitStatus[] = ['memory-limit', 'process-limit', 'disk-limit', 'open-files-limit'];

export function isLimitStatus(status: string): status is LimitStatus {
  return (LIMIT_STATUSES as readonly string[]).includes(status);
}

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
  /** For a *-limit status: which limit, in words, with the lab.yaml field that sets it. */
  limitReason?: string;
  /** What the process wrote on the result channel (module harness), capped apart from outputLimitBytes. */
  channel?: string;
}
